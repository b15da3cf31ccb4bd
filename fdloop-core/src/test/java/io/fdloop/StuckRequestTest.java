package io.fdloop;

import io.fdloop.internal.loop.LoopBuilder;
import io.fdloop.file.FileSettings;
import io.fdloop.file.AsyncFile;
import io.fdloop.file.FileBackend;
import io.fdloop.file.FileOption;
import io.fdloop.file.IoHandler;
import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.ForwardingSyscalls;
import io.fdloop.internal.linux.Statx;
import io.fdloop.internal.linux.Syscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.AsynchronousCloseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.fdloop.LoopFixtures.TIMEOUT_S;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Requests that never finish and submissions that always fail, made through the syscall seam (a
 * regular file's requests always finish, so the kernel will not produce these on demand): a close
 * still ends within the loop's close timeout, and a loop never stops serving its timers.
 */
class StuckRequestTest {
    private static final Duration CLOSE_TIMEOUT = Duration.ofMillis(400);

    @TempDir
    Path dir;

    /** Reports a FIFO as a regular file, so that a read of it is accepted and waits forever for a writer. */
    private static Syscalls fifoPassingForAFile() {
        return new ForwardingSyscalls() {
            @Override
            public int statx(int dirFd, MemorySegment path, int flags, int mask, MemorySegment statx) {
                int r = kernel.statx(dirFd, path, flags, mask, statx);
                short mode = statx.get(JAVA_SHORT, Statx.MODE);
                if (r == 0 && (mode & Statx.S_IFMT) == Statx.S_IFIFO) {
                    statx.set(JAVA_SHORT, Statx.MODE, (short) ((mode & ~Statx.S_IFMT) | Statx.S_IFREG));
                }
                return r;
            }
        };
    }

    private Path fifo() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        return fifo;
    }

    @Test
    void shouldCancelAnIoUringReadThatNeverCompletesWhenTheFileCloses() throws Exception {
        assumeTrue(FileBackend.URING.isAvailable(), FileBackend.URING::unavailabilityCause);
        Path fifo = fifo();
        try (EventLoop loop = new LoopBuilder().daemon(true).with(FileSettings.defaults().withBackend(FileBackend.URING))
                .closeTimeout(CLOSE_TIMEOUT).syscalls(fifoPassingForAFile()).start()) {
            AsyncFile file = AsyncFile.open(loop, fifo);
            CompletableFuture<Integer> read = file.read(Arena.ofAuto().allocate(4096), 0);
            LoopFixtures.iterate(loop, 3);
            assertFalse(read.isDone(), "a FIFO read waits for a writer");
            file.closeAsync().get(TIMEOUT_S, TimeUnit.SECONDS);
            ExecutionException failed = assertThrows(ExecutionException.class, () -> read.get(TIMEOUT_S, TimeUnit.SECONDS));
            assertInstanceOf(AsynchronousCloseException.class, failed.getCause());
            assertFalse(file.isOpen());
        }
    }

    @Test
    void shouldEndTheCloseOfALoopWhoseRequestNeverCompletes() throws Exception {
        assumeTrue(FileBackend.URING.isAvailable(), FileBackend.URING::unavailabilityCause);
        Path fifo = fifo();
        EventLoop loop = new LoopBuilder().daemon(true).with(FileSettings.defaults().withBackend(FileBackend.URING))
                .closeTimeout(CLOSE_TIMEOUT).syscalls(fifoPassingForAFile()).start();
        AsyncFile file = AsyncFile.open(loop, fifo);
        CompletableFuture<Integer> read = file.read(Arena.ofAuto().allocate(4096), 0);
        LoopFixtures.iterate(loop, 3);
        assertFalse(read.isDone(), "a FIFO read waits for a writer");
        CompletableFuture.runAsync(loop::close).get(TIMEOUT_S, TimeUnit.SECONDS);
        assertTrue(loop.awaitTermination(Duration.ZERO));
        ExecutionException failed = assertThrows(ExecutionException.class, () -> read.get(TIMEOUT_S, TimeUnit.SECONDS));
        assertInstanceOf(AsynchronousCloseException.class, failed.getCause());
    }

    /**
     * The thread backend cannot interrupt a worker inside a system call: a request stuck there is
     * abandoned at the close timeout (its buffer kept), and the close ends.
     */
    @Test
    void shouldAbandonAThreadBackendRequestStuckInAWorkerWhenTheFileCloses() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Syscalls hangingReads = new ForwardingSyscalls() {
            @Override
            public long pread(int fd, long address, long count, long offset) {
                if (offset == 4096) {
                    stuck.countDown();
                    LoopFixtures.awaitUnchecked(release);
                }
                return kernel.pread(fd, address, count, offset);
            }
        };
        Path path = Files.write(dir.resolve("file.dat"), new byte[8192]);
        try (EventLoop loop = new LoopBuilder().daemon(true).with(FileSettings.defaults().withBackend(FileBackend.THREADS))
                .closeTimeout(CLOSE_TIMEOUT).syscalls(hangingReads).start()) {
            AsyncFile file = AsyncFile.open(loop, path, FileOption.READ);
            CompletableFuture<Integer> read = file.read(Arena.ofAuto().allocate(4096), 4096);
            LoopFixtures.await(stuck, "the worker is inside pread");
            file.closeAsync().get(TIMEOUT_S, TimeUnit.SECONDS);
            ExecutionException failed = assertThrows(ExecutionException.class, () -> read.get(TIMEOUT_S, TimeUnit.SECONDS));
            assertInstanceOf(AsynchronousCloseException.class, failed.getCause());
            release.countDown();
            // the loop takes the late completion without delivering it twice
            assertEquals(4096, AsyncFile.open(loop, path).read(Arena.ofAuto().allocate(4096), 0).get(TIMEOUT_S, TimeUnit.SECONDS));
        } finally {
            release.countDown();
        }
    }

    /**
     * io_submit refusing every request, and a handler that retries at once each time it fails: the
     * failures are delivered from the loop's dispatch, so its 100 ms timer still fires.
     */
    @Test
    void shouldServeTimersWhileIoSubmitRefusesARequestThatIsRetriedAtOnce() throws Exception {
        assumeTrue(FileBackend.AIO.isAvailable(), FileBackend.AIO::unavailabilityCause);
        AtomicBoolean refuse = new AtomicBoolean(true);
        Syscalls refusingSubmits = new ForwardingSyscalls() {
            @Override
            public int ioSubmit(long context, long count, MemorySegment iocbPointers) {
                return refuse.get() ? -Errno.EIO : kernel.ioSubmit(context, count, iocbPointers);
            }
        };
        Path path = Files.write(dir.resolve("file.dat"), new byte[4096]);
        try (EventLoop loop = new LoopBuilder().daemon(true).with(FileSettings.defaults().withBackend(FileBackend.AIO))
                .syscalls(refusingSubmits).start();
             AsyncFile file = AsyncFile.open(loop, path, FileOption.READ, FileOption.DIRECT)) {
            MemorySegment buffer = Arena.ofAuto().allocate(4096, 4096);
            int limit = 20_000_000;
            AtomicInteger failures = new AtomicInteger();
            CompletableFuture<Integer> firedAfter = new CompletableFuture<>();
            CompletableFuture<Integer> stopped = new CompletableFuture<>();
            IoHandler<Void> retrying = new IoHandler<>() {
                @Override
                public void completed(int result, Void unused) {
                    stopped.complete(result);
                }

                @Override
                public void failed(Throwable error, Void unused) {
                    if (failures.incrementAndGet() < limit && !firedAfter.isDone()) {
                        file.read(buffer, 0, null, this);
                    } else {
                        stopped.complete(-1);
                    }
                }
            };
            loop.execute(() -> {
                loop.schedule(Duration.ofMillis(100), () -> firedAfter.complete(failures.get()));
                file.read(buffer, 0, null, retrying);
            });
            int failuresBeforeTheTimer = firedAfter.get(120, TimeUnit.SECONDS);
            assertTrue(failuresBeforeTheTimer < limit, "the timer fired only once the retries ran out");
            assertEquals(-1, stopped.get(TIMEOUT_S, TimeUnit.SECONDS));
            refuse.set(false);
            assertEquals(4096, file.read(buffer, 0).get(TIMEOUT_S, TimeUnit.SECONDS));
        }
    }
}
