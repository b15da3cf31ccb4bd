package io.fdloop.journal;

import io.fdloop.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills a child JVM that appends at full speed with SIGKILL at random moments, then recovers:
 * every record whose append had completed (the child printed it) must be there, intact, in
 * order, and nothing may follow a gap or a torn record. {@code -Dfdloop.journal.crashRuns=N}
 * sets how many kills (default 3, to keep the suite short; the issue asks for 100 once).
 */
class JournalCrashTest {
    private static final int RUNS = Integer.getInteger("fdloop.journal.crashRuns", 3);
    private static final int PRODUCERS = 4;

    @TempDir
    Path dir;

    @Test
    void shouldRecoverEveryCompletedAppendAfterKill9() throws Exception {
        Path journalDir = dir.resolve("wal");
        Random random = new Random(Long.getLong("fdloop.journal.crashSeed", System.nanoTime()));
        long totalCompleted = 0;
        for (int run = 1; run <= RUNS; run++) {
            Map<Long, Long> completed = runAndKill(journalDir, run, 100 + random.nextInt(900));
            totalCompleted += completed.size();
            verify(journalDir, completed, run);
        }
        assertTrue(totalCompleted > 0, "the child completed appends before it was killed");
    }

    /**
     * Starts the child, waits {@code killAfterMs} after its first append completed, kills it;
     * returns position by id of what it completed.
     */
    private static Map<Long, Long> runAndKill(Path journalDir, int run, int killAfterMs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), JournalCrashChild.class.getName(),
                journalDir.toString(), Integer.toString(PRODUCERS), Integer.toString(run))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<Long, Long> completed = new HashMap<>();
        CompletableFuture<Void> ready = new CompletableFuture<>(); // the first append completed
        List<String> failures = new ArrayList<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith("C ") && line.indexOf(' ', 2) > 0 && !line.endsWith(" ")) {
                        String[] parts = line.split(" ");
                        if (parts.length == 3) { // a line cut by the kill is not a completion
                            completed.put(Long.parseLong(parts[2]), Long.parseLong(parts[1]));
                            ready.complete(null);
                        }
                    } else if (line.startsWith("F ")) {
                        failures.add(line);
                    }
                }
            } catch (Exception e) {
                ready.completeExceptionally(e);
            }
        });
        try {
            ready.get(60, TimeUnit.SECONDS);
            Thread.sleep(killAfterMs);
        } finally {
            child.destroyForcibly(); // SIGKILL
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            reader.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertEquals(List.of(), failures, "no append failed in run " + run);
        return completed;
    }

    private static void verify(Path journalDir, Map<Long, Long> completed, int run) throws Exception {
        try (EventLoop loop = EventLoop.builder().name("crash-check").daemon(true).start();
             Journal journal = Journal.builder(loop, journalDir).segmentSize(1 << 20).open()) {
            RecoveryReport report = journal.recovery();
            Map<Long, Long> recoveredPositionById = new HashMap<>();
            Map<Long, Long> nextCounterByProducer = new HashMap<>();
            long previous = -1;
            try (JournalReader reader = journal.reader(0)) {
                for (JournalRecord record; (record = reader.next()) != null; ) {
                    assertTrue(record.position() > previous, "positions increase");
                    previous = record.position();
                    byte[] bytes = record.toByteArray();
                    long id = 0;
                    for (int i = 0; i < 8; i++) {
                        id |= (bytes[i] & 0xffL) << (8 * i);
                    }
                    assertArrayEquals(JournalCrashChild.recordBytes(id), bytes, "record " + Long.toHexString(id) + " is intact");
                    recoveredPositionById.put(id, record.position());
                    if (id >>> 40 == run) {
                        // One producer's records were queued in order: the recovered ones are a prefix, no holes.
                        long producer = id >>> 32;
                        long counter = id & 0xffff_ffffL;
                        long expected = nextCounterByProducer.getOrDefault(producer, 0L);
                        assertEquals(expected, counter, "producer " + Long.toHexString(producer) + " has no hole in run " + run);
                        nextCounterByProducer.put(producer, counter + 1);
                    }
                }
            }
            for (Map.Entry<Long, Long> c : completed.entrySet()) {
                Long position = recoveredPositionById.get(c.getKey());
                assertNotNull(position, "run " + run + ": completed record " + Long.toHexString(c.getKey()) + " at "
                        + Journal.describe(c.getValue()) + " was lost; recovery: " + report);
                assertEquals(c.getValue(), position);
            }
            assertTrue(report.discarded().isEmpty(), report.toString());
            System.out.printf("crash run %d: %d completed appends all recovered among %d records; scan stopped: %s%n", run,
                    completed.size(), recoveredPositionById.size(), report.stop().reason());
        }
    }
}
