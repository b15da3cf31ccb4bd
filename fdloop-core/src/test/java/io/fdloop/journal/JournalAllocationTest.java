package io.fdloop.journal;

import io.fdloop.file.FileSettings;
import io.fdloop.EventLoop;
import io.fdloop.file.FileBackend;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The callback form of append allocates nothing per record on the loop thread in steady state:
 * draining the queue, framing, the batch's write and its completions reuse their slots and buffers. Measured
 * with the JVM's per-thread allocation counter on the loop thread; the quietest of several windows
 * is the steady state (a one-off, such as a segment roll, can land in any one window).
 */
class JournalAllocationTest {
    private static final long WARM_UP = 100_000, WINDOW = 50_000, WINDOWS = 6;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = FileBackend.class, names = {"AIO", "URING"})
    void shouldAllocateNothingPerRecordOnTheLoopThread(FileBackend backend) throws Exception {
        assumeTrue(backend.isAvailable(), () -> backend + " is unavailable here: " + backend.unavailabilityCause());
        try (EventLoop loop = EventLoop.builder().name("journal-alloc").daemon(true).with(FileSettings.defaults().withBackend(backend)).start();
             Journal journal = Journal.builder(loop, dir.resolve("wal")).durability(Durability.NONE)
                     .segmentSize(256L << 20).queueCapacity(4096).open()) {
            CompletableFuture<Long> quietestWindow = new CompletableFuture<>();
            AppendHandler<Object> counter = new AppendHandler<>() {
                private long done;
                private long windowStart;
                private long quietest = Long.MAX_VALUE;

                @Override
                public void completed(long position, Object attachment) {
                    done++;
                    if (done >= WARM_UP && (done - WARM_UP) % WINDOW == 0) {
                        long now = allocatedBytes();
                        if (done > WARM_UP) {
                            quietest = Math.min(quietest, now - windowStart);
                        }
                        windowStart = now;
                        if (done == WARM_UP + WINDOW * WINDOWS) {
                            quietestWindow.complete(quietest);
                        }
                    }
                }

                @Override
                public void failed(Throwable error, Object attachment) {
                    quietestWindow.completeExceptionally(error);
                }
            };
            byte[] record = new byte[100];
            Thread producer = Thread.ofPlatform().daemon(true).start(() -> {
                while (!quietestWindow.isDone()) {
                    journal.append(record, null, counter);
                }
            });
            long bytes = quietestWindow.get(120, TimeUnit.SECONDS);
            producer.join(TimeUnit.SECONDS.toMillis(30));
            // Nothing per record: a single 16-byte object per append would be 800 KB a window. What is
            // left (under a kilobyte a window, about 0.02 bytes per append) comes once per batch at most.
            assertTrue(bytes < WINDOW / 10, backend + ": the loop thread allocated " + bytes + " bytes over " + WINDOW
                    + " appends in its quietest window");
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
