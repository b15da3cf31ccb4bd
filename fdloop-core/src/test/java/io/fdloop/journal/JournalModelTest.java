package io.fdloop.journal;

import io.fdloop.internal.journal.RecordFormat;
import io.fdloop.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Append, reopen (recovery), release and replay in random order against a model (the list of
 * records appended, in order): replay from any position gives exactly the model's records from
 * there, across segment rolls, recycled segments and reopens. Each seed is one random program;
 * {@code -Dfdloop.journal.modelSeeds=N} runs more.
 */
class JournalModelTest {
    private static final int OPERATIONS = 40;

    @TempDir
    Path dir;

    private EventLoop loop;

    @BeforeEach
    void start() throws Exception {
        loop = EventLoop.builder().name("journal-model").daemon(true).start();
    }

    @AfterEach
    void stop() {
        loop.close();
    }

    static Stream<Long> seeds() {
        long base = Long.getLong("fdloop.journal.modelSeed", 20251201L);
        return LongStream.range(0, Integer.getInteger("fdloop.journal.modelSeeds", 6)).map(i -> base + i).boxed();
    }

    private record Entry(long position, byte[] bytes) {
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldReplayWhatTheModelSays(long seed) throws Exception {
        Random random = new Random(seed);
        Path wal = dir.resolve("wal-" + seed);
        List<Entry> model = new ArrayList<>();
        long released = 0; // records before it may be gone
        Journal journal = open(wal);
        try {
            for (int op = 0; op < OPERATIONS; op++) {
                int choice = random.nextInt(10);
                if (choice < 6) {
                    int n = 1 + random.nextInt(40);
                    List<byte[]> records = new ArrayList<>();
                    List<CompletableFuture<Long>> futures = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        byte[] bytes = new byte[random.nextInt(10) == 0 ? 0 : random.nextInt(5000)];
                        random.nextBytes(bytes);
                        records.add(bytes);
                        futures.add(journal.append(bytes));
                    }
                    for (int i = 0; i < n; i++) {
                        model.add(new Entry(futures.get(i).get(30, TimeUnit.SECONDS), records.get(i)));
                    }
                } else if (choice < 8) {
                    journal.close();
                    journal = open(wal);
                    RecoveryReport report = journal.recovery();
                    assertTrue(report.stop().isCleanEnd(), report.toString());
                    assertEquals(model.isEmpty() ? report.endPosition() : model.getLast().position() + frame(model.getLast()),
                            report.endPosition(), "appends resume right after the last record");
                } else if (choice < 9 && !model.isEmpty()) {
                    Entry keep = model.get(random.nextInt(model.size()));
                    journal.release(keep.position());
                    released = Math.max(released, keep.position());
                } else if (!model.isEmpty()) {
                    Entry from = model.get(random.nextInt(model.size()));
                    if (from.position() >= released) {
                        assertReplay(journal, model, from.position(), released);
                    }
                }
                JournalContract.assertStrictlyIncreasing(model.stream().map(Entry::position).toList());
            }
            assertReplay(journal, model, 0, released);
        } finally {
            journal.close();
        }
        long releasedBefore = released;
        try (Stream<Path> files = Files.list(wal)) {
            long segments = files.filter(p -> p.getFileName().toString().startsWith("segment-")).count();
            long bytes = model.stream().filter(e -> e.position() >= releasedBefore).mapToLong(JournalModelTest::frame).sum();
            assertTrue(segments <= 3 + bytes / (60 << 10), "released segments do not pile up: " + segments + " segments");
        }
    }

    private Journal open(Path wal) throws Exception {
        return Journal.builder(loop, wal).segmentSize(64 << 10).maxRecordSize(5000).durability(Durability.NONE)
                .spareSegments(1).open();
    }

    private static long frame(Entry e) {
        return RecordFormat.frameSize(e.bytes().length);
    }

    /** Replay from {@code from} gives the model's records at or after it; with released ones possibly first, in order. */
    private static void assertReplay(Journal journal, List<Entry> model, long from, long released) throws Exception {
        List<JournalRecord> replayed = JournalContract.readAll(journal, from);
        List<Entry> expected = model.stream().filter(e -> e.position() >= from).sorted(Comparator.comparingLong(Entry::position)).toList();
        int skip = 0;
        while (skip < replayed.size() && replayed.get(skip).position() < Math.max(from, released)
                && replayed.size() - skip > expected.stream().filter(e -> e.position() >= released).count()) {
            skip++;
        }
        List<JournalRecord> tail = replayed.subList(skip, replayed.size());
        List<Entry> expectedTail = expected.subList(expected.size() - tail.size(), expected.size());
        assertTrue(tail.size() >= expected.stream().filter(e -> e.position() >= released).count(),
                "every record not released is replayed");
        for (int i = 0; i < tail.size(); i++) {
            assertEquals(expectedTail.get(i).position(), tail.get(i).position());
            assertArrayEquals(expectedTail.get(i).bytes(), tail.get(i).toByteArray());
        }
    }
}
