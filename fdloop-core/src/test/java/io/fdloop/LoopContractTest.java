package io.fdloop;

import io.fdloop.file.AsyncFile;
import io.fdloop.file.FileBackend;
import io.fdloop.file.FileOption;
import io.fdloop.file.FileSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.fdloop.LoopFixtures.TIMEOUT_S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a user relies on beyond one kind of I/O: futures that cannot deadlock the loop silently,
 * user code's exceptions reaching a handler the user sets, and settings given per loop or per file.
 */
class LoopContractTest {
    @TempDir
    Path dir;

    @Test
    void shouldFailAtOnceWhenAFutureIsJoinedOnItsOwnLoopThread() throws Exception {
        Path path = Files.write(dir.resolve("file.dat"), new byte[4096]);
        try (EventLoop loop = EventLoop.builder().daemon(true).start();
             AsyncFile file = AsyncFile.open(loop, path)) {
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            loop.execute(() -> {
                CompletableFuture<Integer> read = file.read(Arena.ofAuto().allocate(4096), 0);
                try {
                    read.thenApply(n -> n + 1).join();
                    refused.complete(null);
                } catch (Throwable t) {
                    refused.complete(t);
                }
            });
            Throwable thrown = refused.get(TIMEOUT_S, TimeUnit.SECONDS);
            assertInstanceOf(BlockingOperationException.class, thrown);
            assertTrue(thrown.getMessage().contains("would wait forever"), thrown.getMessage());
            // From another thread the same futures wait as usual.
            assertEquals(4096, file.read(Arena.ofAuto().allocate(4096), 0).get(TIMEOUT_S, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldHandWhatUserCodeThrowsToTheLoopsExceptionHandler() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> three = new CompletableFuture<>();
        LoopExceptionHandler handler = (loop, where, error) -> {
            seen.add(loop.name() + ": " + where + ": " + error.getMessage());
            if (seen.size() == 3) {
                three.complete(null);
            }
        };
        Path path = Files.write(dir.resolve("file.dat"), new byte[4096]);
        try (EventLoop loop = EventLoop.builder().name("reporting").daemon(true).exceptionHandler(handler).start();
             AsyncFile file = AsyncFile.open(loop, path)) {
            loop.execute(() -> {
                throw new IllegalStateException("from a task");
            });
            loop.schedule(Duration.ZERO, () -> {
                throw new IllegalStateException("from a timer");
            });
            MemorySegment buffer = Arena.ofAuto().allocate(4096);
            file.read(buffer, 0, null, (attachment, bytes, failure) -> {
                throw new IllegalStateException("from a completion");
            });
            three.get(TIMEOUT_S, TimeUnit.SECONDS);
            assertTrue(seen.containsAll(List.of("reporting: a task: from a task", "reporting: a timer: from a timer",
                    "reporting: an I/O completion handler: from a completion")), seen.toString());
            CompletableFuture<String> stillRunning = new CompletableFuture<>();
            loop.execute(() -> stillRunning.complete("yes"));
            assertEquals("yes", stillRunning.get(TIMEOUT_S, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldTakeFileSettingsPerLoopAndABackendPerFile() throws Exception {
        assumeTrue(FileBackend.URING.isAvailable(), FileBackend.URING::unavailabilityCause);
        Path path = Files.write(dir.resolve("file.dat"), new byte[4096]);
        try (EventLoop loop = EventLoop.builder().daemon(true)
                .with(FileSettings.defaults().withBackend(FileBackend.THREADS).withThreads(2)).start();
             AsyncFile byTheLoop = AsyncFile.open(loop, path);
             AsyncFile byTheFile = AsyncFile.open(loop, path, FileBackend.URING, java.util.Set.of(FileOption.READ))) {
            assertSame(FileBackend.THREADS, byTheLoop.backend());
            assertSame(FileBackend.URING, byTheFile.backend());
            assertEquals(4096, byTheLoop.read(Arena.ofAuto().allocate(4096), 0).get(TIMEOUT_S, TimeUnit.SECONDS));
            assertEquals(4096, byTheFile.read(Arena.ofAuto().allocate(4096), 0).get(TIMEOUT_S, TimeUnit.SECONDS));
        }
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> FileSettings.defaults().withQueueDepth(0));
        assertTrue(refused.getMessage().contains("queueDepth must be 1 to 65536"), refused.getMessage());
    }
}
