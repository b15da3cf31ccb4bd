package io.fdloop;

import io.fdloop.file.AlignedBuffers;
import io.fdloop.file.AsyncFile;
import io.fdloop.file.FileBackend;
import io.fdloop.file.FileOption;
import io.fdloop.file.FileSettings;
import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.ForwardingSyscalls;
import io.fdloop.internal.linux.IoEvent;
import io.fdloop.internal.linux.Iocb;
import io.fdloop.internal.linux.Syscalls;
import io.fdloop.internal.loop.LoopBuilder;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link AsyncFile#writeAndFdatasync}: a write that fails or comes up short is never followed by a
 * sync and fails with the write's error; a failed sync fails with the sync's; on io_uring a linked
 * pair that a partial {@code io_uring_enter} splits still gets a sync that starts after the write.
 * Faults are injected through the syscall seam in front of the real kernel.
 */
class WriteAndFdatasyncFaultTest {
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

    /** The kernel, with pwrite and fdatasync on the thread backend's workers made to fail on demand. */
    private static final class FaultyWorkerCalls extends ForwardingSyscalls {
        volatile int writeFault; // 0: none; -errno; or SHORT
        volatile int syncFault;
        final AtomicInteger syncs = new AtomicInteger();
        static final int SHORT = 1;

        @Override
        public long pwrite(int fd, long address, long count, long offset) {
            int fault = writeFault;
            if (fault == SHORT) {
                return kernel.pwrite(fd, address, count / 2, offset);
            }
            return fault < 0 ? fault : kernel.pwrite(fd, address, count, offset);
        }

        @Override
        public int fdatasync(int fd) {
            syncs.incrementAndGet();
            int fault = syncFault;
            return fault < 0 ? fault : kernel.fdatasync(fd);
        }
    }

    @Test
    void shouldNameTheFailedStepAndNeverSyncAfterAFailedOrShortWriteOnTheThreadBackend() throws Exception {
        FaultyWorkerCalls syscalls = new FaultyWorkerCalls();
        try (EventLoop loop = loop(syscalls, FileBackend.THREADS);
             AsyncFile file = AsyncFile.open(loop, dir.resolve("threads.dat"), FileOption.READ, FileOption.WRITE,
                     FileOption.CREATE)) {
            MemorySegment block = AlignedBuffers.allocate(arena, 4096, 4096);

            assertEquals(4096, file.writeAndFdatasync(block, 0).get(10, TimeUnit.SECONDS));
            assertEquals(1, syscalls.syncs.getAndSet(0));

            syscalls.writeFault = -Errno.EIO;
            assertEquals("pwrite", failure(file.writeAndFdatasync(block, 4096), NativeIOException.class).call());
            syscalls.writeFault = FaultyWorkerCalls.SHORT;
            IOException shortWrite = failure(file.writeAndFdatasync(block, 8192), IOException.class);
            assertTrue(shortWrite.getMessage().contains("2048 of 4096 bytes") && shortWrite.getMessage().contains("not issued"),
                    shortWrite.getMessage());
            assertEquals(0, syscalls.syncs.get(), "no sync after a failed or short write");

            syscalls.writeFault = 0;
            syscalls.syncFault = -Errno.EIO;
            NativeIOException syncFailed = failure(file.writeAndFdatasync(block, 12288), NativeIOException.class);
            assertEquals("fdatasync", syncFailed.call());
            assertEquals("EIO", syncFailed.errorName());
        }
    }

    @Test
    void shouldNameTheFailedStepAndNeverSyncAfterAFailedWriteOnLinuxAio() throws Exception {
        assumeTrue(FileBackend.AIO.isAvailable(), () -> "Linux AIO is unavailable here: " + FileBackend.AIO.unavailabilityCause());
        AtomicInteger failNextWrite = new AtomicInteger();
        AtomicInteger failNextSync = new AtomicInteger();
        AtomicInteger syncsSubmitted = new AtomicInteger();
        ConcurrentHashMap<Long, Short> opcodes = new ConcurrentHashMap<>();
        Syscalls syscalls = new ForwardingSyscalls() {
            @Override
            public int ioSubmit(long context, long count, MemorySegment iocbPointers) {
                for (int i = 0; i < count; i++) {
                    MemorySegment iocb = MemorySegment.ofAddress(iocbPointers.getAtIndex(JAVA_LONG, i)).reinterpret(Iocb.SIZE);
                    short opcode = iocb.get(JAVA_SHORT, Iocb.OPCODE);
                    opcodes.put(iocb.get(JAVA_LONG, Iocb.DATA), opcode);
                    if (opcode == Iocb.IOCB_CMD_FDSYNC) {
                        syncsSubmitted.incrementAndGet();
                        assertEquals(0, iocb.get(JAVA_LONG, Iocb.BUF), "the kernel refuses a sync with a buffer");
                    }
                }
                return kernel.ioSubmit(context, count, iocbPointers);
            }

            @Override
            public int ioGetevents(long context, long minCount, long count, MemorySegment events, MemorySegment timeout) {
                int n = kernel.ioGetevents(context, minCount, count, events, timeout);
                for (int i = 0; i < n; i++) {
                    long event = IoEvent.SIZE * i;
                    short opcode = opcodes.get(events.get(JAVA_LONG, event + IoEvent.DATA));
                    AtomicInteger toFail = opcode == Iocb.IOCB_CMD_PWRITE ? failNextWrite : failNextSync;
                    if (toFail.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                        events.set(JAVA_LONG, event + IoEvent.RES, -Errno.EIO);
                    }
                }
                return n;
            }
        };
        try (EventLoop loop = loop(syscalls, FileBackend.AIO);
             AsyncFile file = AsyncFile.open(loop, dir.resolve("aio.dat"), FileOption.READ, FileOption.WRITE,
                     FileOption.CREATE, FileOption.DIRECT)) {
            MemorySegment block = AlignedBuffers.allocate(arena, 4096, 4096);
            assertEquals(4096, file.writeAndFdatasync(block, 0).get(10, TimeUnit.SECONDS));
            assertEquals(1, syncsSubmitted.getAndSet(0), "the backend sent the sync as it reaped the write");

            failNextWrite.set(1);
            assertEquals("pwrite", failure(file.writeAndFdatasync(block, 4096), NativeIOException.class).call());
            assertEquals(0, syncsSubmitted.get(), "no sync after a failed write");

            failNextSync.set(1);
            NativeIOException syncFailed = failure(file.writeAndFdatasync(block, 8192), NativeIOException.class);
            assertEquals("fdatasync", syncFailed.call());
            assertEquals("EIO", syncFailed.errorName());
        }
    }

    @Test
    void shouldSyncAfterTheWriteWhenAPartialIoUringEnterSplitsALinkedPair() throws Exception {
        assumeTrue(FileBackend.URING.isAvailable(), () -> "io_uring is unavailable here: " + FileBackend.URING.unavailabilityCause());
        int count = 100;
        AtomicInteger partialEnters = new AtomicInteger();
        Syscalls syscalls = new ForwardingSyscalls() {
            @Override
            public int ioUringEnter(int fd, int toSubmit, int minComplete, int flags) {
                if (toSubmit > 3) {
                    partialEnters.incrementAndGet();
                    int taken = kernel.ioUringEnter(fd, 3, minComplete, flags); // odd: pairs are split across calls
                    // The rest goes out later, once the cut write has most likely completed: a sync that then
                    // comes after it would look fine, and only the cut notice can tell it did not wait for it.
                    LockSupport.parkNanos(5_000_000);
                    return taken;
                }
                return kernel.ioUringEnter(fd, toSubmit, minComplete, flags);
            }
        };
        AtomicLong entriesTaken = new AtomicLong();
        LoopObserver observer = new LoopObserver() {
            @Override
            public void submitted(String backend, int requests) {
                entriesTaken.addAndGet(requests);
            }
        };
        Path path = dir.resolve("split.dat");
        try (EventLoop loop = new LoopBuilder().name("split-links").daemon(true).syscalls(syscalls).observer(observer)
                .with(FileSettings.defaults().withBackend(FileBackend.URING)).start();
             AsyncFile file = AsyncFile.open(loop, path, FileOption.READ, FileOption.WRITE, FileOption.CREATE,
                     FileOption.DIRECT)) {
            MemorySegment blocks = AlignedBuffers.allocate(arena, 4096L * count, 4096);
            for (int i = 0; i < count; i++) {
                blocks.asSlice(4096L * i, 4096).fill((byte) (i + 1));
            }
            CompletableFuture<List<CompletableFuture<Integer>>> issued = new CompletableFuture<>();
            loop.execute(() -> {
                List<CompletableFuture<Integer>> futures = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    futures.add(file.writeAndFdatasync(blocks.asSlice(4096L * i, 4096), 4096L * i));
                }
                issued.complete(futures);
            });
            for (CompletableFuture<Integer> durable : issued.get(10, TimeUnit.SECONDS)) {
                assertEquals(4096, durable.get(30, TimeUnit.SECONDS));
            }
            assertTrue(partialEnters.get() > 10, "io_uring_enter was cut short " + partialEnters.get() + " times");
            assertTrue(entriesTaken.get() > 2L * count,
                    "split pairs got a sync of their own after the write: " + entriesTaken.get() + " entries for "
                            + count + " pairs");
            byte[] onDisk = Files.readAllBytes(path);
            for (int i = 0; i < count; i++) {
                assertEquals((byte) (i + 1), onDisk[4096 * i], "block " + i);
            }
        }
    }

    private static EventLoop loop(Syscalls syscalls, FileBackend backend) throws IOException {
        return new LoopBuilder().name("write-sync-faults").daemon(true).syscalls(syscalls)
                .with(FileSettings.defaults().withBackend(backend).withForceIoGetevents(true)).start();
    }

    private static <T extends Throwable> T failure(CompletableFuture<Integer> future, Class<T> type) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(type, e.getCause());
    }
}
