package io.fdloop.internal.http.log;

import io.fdloop.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessLogTest {
    @TempDir
    Path dir;

    @Test
    void shouldFormatCombinedLinesEscapedAsNginxDoes() {
        CombinedLogFormat f = new CombinedLogFormat();
        assertEquals("127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET /a.txt HTTP/1.1\" 200 2326 \"http://r/\" \"curl/8.5\"\n",
                f.format("127.0.0.1", "10/Oct/2000:13:55:36 -0700", "GET /a.txt HTTP/1.1", 200, 2326, "http://r/",
                        "curl/8.5").toString());
        assertEquals("::1 - - [t] \"-\" 400 0 \"-\" \"-\"\n", f.format("::1", "t", null, 400, 0, null, "").toString());
        String request = "GET /\"q\"\\x\u0001\u001f\u007f\u00e9 HTTP/1.1";
        assertEquals("h - - [t] \"GET /\\x22q\\x22\\x5Cx\\x01\\x1F\\x7F\\xE9 HTTP/1.1\" 404 1 \"-\" \"a\\x0D\\x0Ab\"\n",
                f.format("h", "t", request, 404, 1, null, "a\r\nb").toString());
        assertEquals("h - - [t] \"\\xE2\\x82\\xAC\" 200 0 \"-\" \"-\"\n", f.format("h", "t", "\u20ac", 200, 0, null, null).toString(),
                "a char above 0xFF is escaped as its UTF-8 bytes");
    }

    @Test
    void shouldFormatLocalTimeAsNginxDoes() {
        long t = Instant.parse("2000-10-10T20:55:36Z").getEpochSecond();
        assertEquals("10/Oct/2000:13:55:36 -0700", LogTime.format(t, ZoneId.of("America/Los_Angeles")));
        assertEquals("10/Oct/2000:20:55:36 +0000", LogTime.format(t, ZoneId.of("UTC")));
        assertEquals("11/Oct/2000:02:25:36 +0530", LogTime.format(t, ZoneId.of("Asia/Kolkata")));
    }

    private static <T> T on(EventLoop loop, Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void shouldInterleaveWholeLinesFromWritersOnSeveralLoops() throws Exception {
        Path path = dir.resolve("access.log");
        Files.writeString(path, "an older line\n"); // appended to, never truncated
        AccessLogFile log = new AccessLogFile(path);
        int perWriter = 20_000;
        try (EventLoop a = EventLoop.builder().daemon(true).start(); EventLoop b = EventLoop.builder().daemon(true).start()) {
            AccessLogWriter wa = on(a, () -> AccessLogWriter.open(a, log, 4096, 4, Duration.ofMillis(20)));
            AccessLogWriter wb = on(b, () -> AccessLogWriter.open(b, log, 4096, 4, Duration.ofMillis(20)));
            CompletableFuture<Void> doneA = writeLines(a, wa, "a", perWriter);
            CompletableFuture<Void> doneB = writeLines(b, wb, "b", perWriter);
            doneA.get(30, TimeUnit.SECONDS);
            doneB.get(30, TimeUnit.SECONDS);
            on(a, wa::closeAsync).get(20, TimeUnit.SECONDS);
            on(b, wb::closeAsync).get(20, TimeUnit.SECONDS);
            long dropped = on(a, wa::droppedLines) + on(b, wb::droppedLines);
            List<String> lines = Files.readAllLines(path, StandardCharsets.ISO_8859_1);
            assertEquals("an older line", lines.getFirst());
            Set<String> seen = new HashSet<>();
            for (String line : lines.subList(1, lines.size())) {
                assertTrue(line.matches("[ab] - - \\[t] \"GET /[0-9]+ HTTP/1.1\" 200 [0-9]+ \"-\" \"ua\""), line);
                assertTrue(seen.add(line), "a line written twice: " + line);
            }
            assertEquals(2L * perWriter, seen.size() + dropped, "every line written or counted as dropped");
            assertEquals(Files.size(path), 14 + on(a, wa::writtenBytes) + on(b, wb::writtenBytes), "no gaps, no overlaps");
        }
    }

    /** Appends {@code count} lines in batches, one loop task per batch, so buffers fill and drain meanwhile. */
    private static CompletableFuture<Void> writeLines(EventLoop loop, AccessLogWriter writer, String who, int count) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CombinedLogFormat f = new CombinedLogFormat();
        int[] next = {0};
        Runnable[] batch = new Runnable[1];
        batch[0] = () -> {
            for (int i = 0; i < 50 && next[0] < count; i++, next[0]++) {
                writer.append(f.format(who, "t", "GET /" + next[0] + " HTTP/1.1", 200, next[0], null, "ua"));
            }
            if (next[0] < count) {
                loop.schedule(Duration.ofNanos(1), batch[0]);
            } else {
                done.complete(null);
            }
        };
        loop.execute(batch[0]);
        return done;
    }

    @Test
    void shouldFlushByItselfAfterTheFlushInterval() throws Exception {
        Path path = dir.resolve("timed.log");
        try (EventLoop loop = EventLoop.builder().daemon(true).start()) {
            AccessLogWriter w = on(loop, () -> AccessLogWriter.open(loop, new AccessLogFile(path), 4096, 2, Duration.ofMillis(30)));
            on(loop, () -> {
                w.append("one line\n".getBytes(StandardCharsets.US_ASCII), 0, 9);
                return null;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (Files.size(path) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals("one line\n", Files.readString(path));
            on(loop, w::closeAsync).get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldWriteALineLongerThanABufferWhole() throws Exception {
        Path path = dir.resolve("long.log");
        String longLine = "x".repeat(10_000) + "\n";
        try (EventLoop loop = EventLoop.builder().daemon(true).start()) {
            AccessLogWriter w = on(loop, () -> AccessLogWriter.open(loop, new AccessLogFile(path), 1024, 2, Duration.ofSeconds(5)));
            on(loop, () -> {
                w.append("short\n".getBytes(StandardCharsets.US_ASCII), 0, 6);
                w.append(longLine.getBytes(StandardCharsets.US_ASCII), 0, longLine.length());
                w.append("after\n".getBytes(StandardCharsets.US_ASCII), 0, 6);
                return null;
            });
            on(loop, w::closeAsync).get(20, TimeUnit.SECONDS);
        }
        assertEquals("short\n" + longLine + "after\n", Files.readString(path));
    }

    @Test
    void shouldReopenThePathAfterRotation() throws Exception {
        Path path = dir.resolve("rotated.log");
        Path rotated = dir.resolve("rotated.log.1");
        AccessLogFile log = new AccessLogFile(path);
        try (EventLoop loop = EventLoop.builder().daemon(true).start()) {
            AccessLogWriter w = on(loop, () -> AccessLogWriter.open(loop, log, 1024, 2, Duration.ofSeconds(5)));
            byte[] before = "before rotation\n".getBytes(StandardCharsets.US_ASCII);
            byte[] after = "after rotation\n".getBytes(StandardCharsets.US_ASCII);
            on(loop, () -> {
                w.append(before, 0, before.length);
                return null;
            });
            Files.move(path, rotated); // logrotate's rename; the writer still holds the old file
            on(loop, () -> {
                w.append(before, 0, before.length);
                return null;
            });
            log.reopen(); // SIGHUP
            on(loop, w::reopen).get(20, TimeUnit.SECONDS);
            on(loop, () -> {
                w.append(after, 0, after.length);
                return null;
            });
            on(loop, w::closeAsync).get(20, TimeUnit.SECONDS);
        }
        assertEquals("before rotation\nbefore rotation\n", Files.readString(rotated));
        assertEquals("after rotation\n", Files.readString(path));
    }

    @Test
    void shouldCountLinesAppendedAfterClose() throws Exception {
        Path path = dir.resolve("closed.log");
        try (EventLoop loop = EventLoop.builder().daemon(true).start()) {
            AccessLogWriter w = on(loop, () -> AccessLogWriter.open(loop, new AccessLogFile(path), 1024, 1, Duration.ofSeconds(5)));
            on(loop, w::closeAsync).get(20, TimeUnit.SECONDS);
            List<Long> dropped = new ArrayList<>();
            on(loop, () -> {
                w.append("late\n".getBytes(StandardCharsets.US_ASCII), 0, 5);
                dropped.add(w.droppedLines());
                return null;
            });
            assertEquals(List.of(1L), dropped);
        }
        assertEquals("", Files.readString(path));
    }
}
