package io.fdloop;

import io.fdloop.internal.loop.LoopBuilder;
import io.fdloop.file.FileSettings;
import io.fdloop.file.AlignedBuffers;
import io.fdloop.file.FileBackend;
import io.fdloop.file.AsyncFile;
import io.fdloop.file.FileOption;
import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.ForwardingSyscalls;
import io.fdloop.internal.linux.IoEvent;
import io.fdloop.internal.linux.Syscalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults the kernel will not produce on demand, injected through the syscall seam in front of a
 * real kernel: every request must still complete, in order, with nothing dropped.
 */
class FaultInjectionTest {
    private static final int BLOCKS = 300;

    @TempDir
    Path dir;

    private Arena arena;

    @BeforeEach
    void allocate() {
        arena = Arena.ofShared();
    }

    @AfterEach
    void free() {
        arena.close();
    }

    @Test
    void shouldResubmitAfterEagainFromAFullRing() throws Exception {
        AtomicInteger refusals = new AtomicInteger();
        Syscalls syscalls = new ForwardingSyscalls() {
            @Override
            public int ioSubmit(long context, long count, MemorySegment iocbPointers) {
                // Every other io_submit finds the ring full.
                if (refusals.incrementAndGet() % 2 == 1) {
                    return -Errno.EAGAIN;
                }
                return kernel.ioSubmit(context, count, iocbPointers);
            }
        };
        assertAllBlocksWrittenAndReadBack(syscalls, FileBackend.AIO);
        assertTrue(refusals.get() > 2, "the fault was injected");
    }

    @Test
    void shouldResubmitTheRestOfAPartialSubmit() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Syscalls syscalls = new ForwardingSyscalls() {
            @Override
            public int ioSubmit(long context, long count, MemorySegment iocbPointers) {
                calls.incrementAndGet();
                // The kernel takes at most 7 of each batch.
                return kernel.ioSubmit(context, Math.min(count, 7), iocbPointers);
            }
        };
        assertAllBlocksWrittenAndReadBack(syscalls, FileBackend.AIO);
        assertTrue(calls.get() >= 2 * BLOCKS / 7, "batches were split: " + calls.get() + " io_submit calls");
    }

    @Test
    void shouldRetryAfterEintr() throws Exception {
        AtomicInteger submits = new AtomicInteger();
        AtomicInteger waits = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        Syscalls syscalls = new ForwardingSyscalls() {
            @Override
            public int ioSubmit(long context, long count, MemorySegment iocbPointers) {
                return submits.incrementAndGet() % 3 == 1 ? -Errno.EINTR : kernel.ioSubmit(context, count, iocbPointers);
            }

            @Override
            public int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMs) {
                return waits.incrementAndGet() % 3 == 1 ? -Errno.EINTR : kernel.epollWait(epfd, events, maxEvents, timeoutMs);
            }

            @Override
            public long read(int fd, long address, long count) {
                return reads.incrementAndGet() % 3 == 1 ? -Errno.EINTR : kernel.read(fd, address, count);
            }
        };
        assertAllBlocksWrittenAndReadBack(syscalls, FileBackend.AIO);
        assertTrue(submits.get() > 1 && waits.get() > 1 && reads.get() > 1);
    }

    @Test
    void shouldFailOnlyTheRequestWhoseCompletionSaysEio() throws Exception {
        Syscalls syscalls = new ForwardingSyscalls() {
            private boolean injected;

            @Override
            public int ioGetevents(long context, long minCount, long count, MemorySegment events, MemorySegment timeout) {
                int n = kernel.ioGetevents(context, minCount, count, events, timeout);
                if (n > 0 && !injected) {
                    injected = true;
                    events.set(JAVA_LONG, IoEvent.RES, -Errno.EIO);
                }
                return n;
            }
        };
        try (EventLoop loop = new LoopBuilder().name("eio").daemon(true).syscalls(syscalls)
                .with(FileSettings.defaults().withBackend(FileBackend.AIO).withForceIoGetevents(true)).start();
             AsyncFile file = AsyncFile.open(loop, dir.resolve("eio.dat"), FileOption.READ, FileOption.WRITE,
                     FileOption.CREATE, FileOption.DIRECT)) {
            MemorySegment buffers = AlignedBuffers.allocate(arena, 4096L * 16, 4096);
            List<CompletableFuture<Integer>> writes = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                writes.add(file.write(buffers.asSlice(i * 4096L, 4096), i * 4096L));
            }
            int failed = 0;
            for (CompletableFuture<Integer> write : writes) {
                try {
                    assertEquals(4096, write.get(10, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    failed++;
                    NativeIOException eio = assertInstanceOf(NativeIOException.class, e.getCause());
                    assertEquals("EIO", eio.errorName());
                    assertEquals("pwrite", eio.call());
                    assertTrue(eio.getMessage().contains("eio.dat"), eio.getMessage());
                }
            }
            assertEquals(1, failed, "exactly the request whose completion carried EIO failed");
        }
    }

    @Test
    void shouldFailOnlyTheRequestThatIoSubmitRefuses() throws Exception {
        Syscalls syscalls = new ForwardingSyscalls() {
            private boolean refused;

            @Override
            public int ioSubmit(long context, long count, MemorySegment iocbPointers) {
                if (!refused) {
                    refused = true;
                    return -Errno.EBADF; // io_submit reports an error for the first iocb only
                }
                return kernel.ioSubmit(context, count, iocbPointers);
            }
        };
        try (EventLoop loop = new LoopBuilder().name("refused").daemon(true).syscalls(syscalls)
                .with(FileSettings.defaults().withBackend(FileBackend.AIO)).start();
             AsyncFile file = AsyncFile.open(loop, dir.resolve("refused.dat"), FileOption.READ, FileOption.WRITE,
                     FileOption.CREATE, FileOption.DIRECT)) {
            MemorySegment buffers = AlignedBuffers.allocate(arena, 4096L * 8, 4096);
            List<CompletableFuture<Integer>> writes = new ArrayList<>();
            loop.execute(() -> {
                for (int i = 0; i < 8; i++) {
                    writes.add(file.write(buffers.asSlice(i * 4096L, 4096), i * 4096L));
                }
            });
            CompletableFuture<Void> issued = new CompletableFuture<>();
            loop.execute(() -> issued.complete(null));
            issued.get(10, TimeUnit.SECONDS);
            ExecutionException first = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> writes.get(0).get(10, TimeUnit.SECONDS));
            assertInstanceOf(java.nio.channels.ClosedChannelException.class, first.getCause());
            for (int i = 1; i < 8; i++) {
                assertEquals(4096, writes.get(i).get(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void shouldFallBackToThreadsWhenIoUringIsBlockedAndAioMaxNrIsExhausted() throws Exception {
        Syscalls syscalls = new ForwardingSyscalls() {
            @Override
            public int ioSetup(int events, MemorySegment contextOut) {
                return -Errno.EAGAIN; // what io_setup says past fs.aio-max-nr
            }

            @Override
            public int ioUringSetup(int entries, MemorySegment params) {
                return -Errno.EPERM; // what a container's seccomp profile makes of io_uring_setup
            }
        };
        List<LogRecord> logged = new ArrayList<>();
        Logger logger = Logger.getLogger("io.fdloop.file");
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (logged) {
                    logged.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            assertAllBlocksWrittenAndReadBack(syscalls, FileBackend.AUTO);
            try (EventLoop loop = new LoopBuilder().name("no-aio").daemon(true).syscalls(syscalls).start();
                 AsyncFile file = AsyncFile.open(loop, dir.resolve("fallback.dat"), FileOption.READ,
                         FileOption.WRITE, FileOption.CREATE, FileOption.DIRECT)) {
                assertEquals(FileBackend.THREADS, file.backend());
            }
        } finally {
            logger.removeHandler(capture);
        }
        synchronized (logged) {
            List<String> messages = logged.stream().map(LogRecord::getMessage).toList();
            assertTrue(messages.stream().anyMatch(m -> m.contains("aio-max-nr") && m.contains("thread backend")),
                    "the AIO cause is logged: " + messages);
            assertTrue(messages.stream().anyMatch(m -> m.contains("io_uring is unavailable") && m.contains("EPERM")),
                    "the io_uring cause is logged: " + messages);
        }
    }

    @Test
    void shouldSayTheOpenIsRefusedWhenForcedAioFindsAioMaxNrExhausted() throws Exception {
        Syscalls syscalls = new ForwardingSyscalls() {
            @Override
            public int ioSetup(int events, MemorySegment contextOut) {
                return -Errno.EAGAIN;
            }
        };
        List<String> messages = new ArrayList<>();
        Logger logger = Logger.getLogger("io.fdloop.file");
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (messages) {
                    messages.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try (EventLoop loop = new LoopBuilder().name("forced-aio").daemon(true).syscalls(syscalls)
                .with(FileSettings.defaults().withBackend(FileBackend.AIO)).start()) {
            IOException refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> AsyncFile.open(loop, dir.resolve("forced.dat"), FileOption.WRITE, FileOption.CREATE,
                            FileOption.DIRECT));
            assertTrue(refused.getMessage().contains("aio-max-nr"), refused.getMessage());
        } finally {
            logger.removeHandler(capture);
        }
        synchronized (messages) {
            assertTrue(messages.stream().anyMatch(m -> m.contains("aio-max-nr") && m.contains("cannot be opened")),
                    "the warning says what happens: " + messages);
            assertTrue(messages.stream().noneMatch(m -> m.contains("thread backend")),
                    "and does not promise the thread backend: " + messages);
        }
    }

    @Test
    void shouldPickLinuxAioForDirectAndThreadsForBufferedFilesWhenIoUringIsBlocked() throws Exception {
        Syscalls syscalls = new ForwardingSyscalls() {
            @Override
            public int ioUringSetup(int entries, MemorySegment params) {
                return -Errno.EPERM;
            }
        };
        try (EventLoop loop = new LoopBuilder().name("no-uring").daemon(true).syscalls(syscalls).start();
             AsyncFile direct = AsyncFile.open(loop, dir.resolve("direct.dat"), FileOption.WRITE, FileOption.CREATE,
                     FileOption.DIRECT);
             AsyncFile buffered = AsyncFile.open(loop, dir.resolve("buffered.dat"), FileOption.WRITE,
                     FileOption.CREATE)) {
            assertEquals(FileBackend.AIO, direct.backend());
            assertEquals(FileBackend.THREADS, buffered.backend());
        }
        assertAllBlocksWrittenAndReadBack(syscalls, FileBackend.AUTO);
    }

    @Test
    void shouldRefuseToOpenWhenTheForcedBackendIsUnavailable() throws Exception {
        Syscalls syscalls = new ForwardingSyscalls() {
            @Override
            public int ioUringSetup(int entries, MemorySegment params) {
                return -Errno.ENOSYS;
            }
        };
        try (EventLoop loop = new LoopBuilder().name("forced").daemon(true).syscalls(syscalls)
                .with(FileSettings.defaults().withBackend(FileBackend.URING)).start()) {
            IOException refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> AsyncFile.open(loop, dir.resolve("forced.dat"), FileOption.WRITE, FileOption.CREATE));
            assertTrue(refused.getMessage().contains("io_uring is unavailable") && refused.getMessage().contains("ENOSYS"),
                    refused.getMessage());
        }
    }

    @Test
    void shouldResubmitWhatIoUringEnterDidNotConsume() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Syscalls syscalls = new ForwardingSyscalls() {
            @Override
            public int ioUringEnter(int fd, int toSubmit, int minComplete, int flags) {
                return switch (calls.incrementAndGet() % 4) {
                    case 1 -> -Errno.EAGAIN; // short of memory: nothing consumed
                    case 2 -> -Errno.EINTR;
                    case 3 -> -Errno.EBUSY; // completions to flush first
                    default -> kernel.ioUringEnter(fd, Math.min(toSubmit, 5), minComplete, flags); // a partial submit
                };
            }
        };
        assertAllBlocksWrittenAndReadBack(syscalls, FileBackend.URING);
        assertTrue(calls.get() > 4 * BLOCKS / 5, "the faults were injected: " + calls.get() + " calls");
    }

    /** BLOCKS direct 4 KiB writes queued in one iteration, then read back and compared. */
    private void assertAllBlocksWrittenAndReadBack(Syscalls syscalls, FileBackend backend) throws Exception {
        Path path = dir.resolve("faults-" + System.nanoTime() + ".dat");
        try (EventLoop loop = new LoopBuilder().name("faults").daemon(true).syscalls(syscalls)
                .with(FileSettings.defaults().withQueueDepth(64).withBackend(backend)).start();
             AsyncFile file = AsyncFile.open(loop, path, FileOption.READ, FileOption.WRITE, FileOption.CREATE,
                     FileOption.DIRECT)) {
            MemorySegment source = AlignedBuffers.allocate(arena, 4096L * BLOCKS, 4096);
            for (int i = 0; i < BLOCKS; i++) {
                source.asSlice(i * 4096L, 4096).fill((byte) (i * 7 + 1));
            }
            CompletableFuture<List<CompletableFuture<Integer>>> issued = new CompletableFuture<>();
            loop.execute(() -> {
                List<CompletableFuture<Integer>> writes = new ArrayList<>();
                for (int i = 0; i < BLOCKS; i++) {
                    writes.add(file.write(source.asSlice(i * 4096L, 4096), i * 4096L));
                }
                issued.complete(writes);
            });
            for (CompletableFuture<Integer> write : issued.get(10, TimeUnit.SECONDS)) {
                assertEquals(4096, write.get(30, TimeUnit.SECONDS));
            }
            MemorySegment target = AlignedBuffers.allocate(arena, 4096L * BLOCKS, 4096);
            List<CompletableFuture<Integer>> reads = new ArrayList<>();
            for (int i = 0; i < BLOCKS; i++) {
                reads.add(file.read(target.asSlice(i * 4096L, 4096), i * 4096L));
            }
            for (CompletableFuture<Integer> read : reads) {
                assertEquals(4096, read.get(30, TimeUnit.SECONDS));
            }
            assertEquals(-1, source.mismatch(target));
            byte[] onDisk = Files.readAllBytes(path);
            assertEquals(-1, MemorySegment.ofArray(onDisk).mismatch(source));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
