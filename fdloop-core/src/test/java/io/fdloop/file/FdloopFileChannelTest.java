package io.fdloop.file;

import com.sun.nio.file.ExtendedOpenOption;
import io.fdloop.EventLoop;
import io.fdloop.file.FileBackend;
import io.fdloop.internal.linux.Arch;
import io.fdloop.internal.linux.FileOpen;
import io.fdloop.internal.linux.Flock;
import io.fdloop.internal.linux.Syscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.DELETE_ON_CLOSE;
import static java.nio.file.StandardOpenOption.DSYNC;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.SPARSE;
import static java.nio.file.StandardOpenOption.SYNC;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link FdloopFileChannel} beside the JDK's own {@link AsynchronousFileChannel}: each scenario
 * runs once on each, on files made alike, and records what it saw; the two records must agree.
 */
class FdloopFileChannelTest {
    private static final Opener JDK = AsynchronousFileChannel::open;
    private static final Opener FDLOOP = FdloopFileChannel::open;
    private static final int FILE_SIZE = 10_000;

    @TempDir
    Path dir;

    /** How a scenario opens a channel. */
    @FunctionalInterface
    interface Opener {
        AsynchronousFileChannel open(Path path, OpenOption... options) throws IOException;
    }

    /** One behaviour, run against one kind of channel in a directory of its own; adds what it saw to {@code seen}. */
    @FunctionalInterface
    interface Scenario {
        void run(Opener opener, Path dir, List<String> seen) throws Exception;
    }

    // ---- reading and writing ----------------------------------------------------------

    @Test
    void shouldReadAtPositionsWithFuturesAndHandlers() throws Exception {
        List<String> seen = agree((open, dir, out) -> {
            Path file = patterned(dir, FILE_SIZE);
            try (AsynchronousFileChannel channel = open.open(file, READ)) {
                for (ByteBuffer buffer : List.of(ByteBuffer.allocate(100), ByteBuffer.allocateDirect(100))) {
                    for (long position : new long[] {0, 5000, FILE_SIZE - 40, FILE_SIZE, FILE_SIZE + 5000}) {
                        buffer.clear().position(10);
                        out.add("future at " + position + " " + future(channel.read(buffer, position)) + " " + contents(buffer));
                        buffer.clear().position(10);
                        out.add("handler at " + position + " "
                                + io(h -> channel.read(buffer, position, "attachment", h)) + " " + contents(buffer));
                    }
                    buffer.clear().position(100);
                    out.add("nothing remaining " + future(channel.read(buffer, 0)));
                }
            }
        });
        assertTrue(seen.contains("future at 10000 = -1 position 10"), seen.toString());
        assertTrue(seen.contains("handler at 15000 completed -1 with attachment position 10"), seen.toString());
        assertTrue(seen.contains("nothing remaining = 0"), seen.toString());
    }

    @Test
    void shouldWriteAtPositionsWithFuturesAndHandlers() throws Exception {
        List<String> seen = agree((open, dir, out) -> {
            Path file = dir.resolve("written");
            try (AsynchronousFileChannel channel = open.open(file, WRITE, CREATE_NEW)) {
                ByteBuffer heap = ByteBuffer.wrap(pattern(300, 1));
                heap.position(20).limit(220);
                out.add("heap future " + future(channel.write(heap, 0)) + " " + heap);
                ByteBuffer direct = ByteBuffer.allocateDirect(500).put(pattern(500, 2)).flip();
                out.add("direct handler " + io(h -> channel.write(direct, 150, "attachment", h)) + " " + direct);
                ByteBuffer readOnly = ByteBuffer.wrap(pattern(64, 3)).asReadOnlyBuffer();
                out.add("read-only heap " + future(channel.write(readOnly, 20_000)) + " " + readOnly);
                out.add("nothing remaining " + future(channel.write(ByteBuffer.allocate(0), 0)));
                out.add("size " + channel.size());
            }
            out.add("on disk " + Arrays.hashCode(Files.readAllBytes(file)));
        });
        assertTrue(seen.contains("size 20064"), seen.toString());
    }

    @Test
    void shouldReadBackWhatTheOtherChannelWroteOnTheSameFile() throws Exception {
        Path file = dir.resolve("shared");
        byte[] first = pattern(1 << 20, 5);
        try (AsynchronousFileChannel fdloop = FdloopFileChannel.open(file, WRITE, CREATE);
             AsynchronousFileChannel jdk = AsynchronousFileChannel.open(file, READ)) {
            assertEquals(first.length, (int) fdloop.write(ByteBuffer.wrap(first), 0).get(30, TimeUnit.SECONDS));
            ByteBuffer back = ByteBuffer.allocate(first.length);
            readFully(jdk, back);
            assertArrayEquals(first, back.array());
        }
        byte[] second = pattern(1 << 20, 6);
        try (AsynchronousFileChannel jdk = AsynchronousFileChannel.open(file, WRITE);
             AsynchronousFileChannel fdloop = FdloopFileChannel.open(file, READ)) {
            assertEquals(second.length, (int) jdk.write(ByteBuffer.wrap(second), 0).get(30, TimeUnit.SECONDS));
            ByteBuffer heap = ByteBuffer.allocate(second.length);
            readFully(fdloop, heap);
            assertArrayEquals(second, heap.array());
            ByteBuffer direct = ByteBuffer.allocateDirect(second.length);
            readFully(fdloop, direct);
            byte[] copy = new byte[second.length];
            direct.flip().get(copy);
            assertArrayEquals(second, copy);
        }
    }

    @Test
    void shouldRefuseBadArgumentsAtOnceAsTheJdkDoes() throws Exception {
        List<String> seen = agree((open, dir, out) -> {
            Path file = patterned(dir, FILE_SIZE);
            ByteBuffer buffer = ByteBuffer.allocate(16);
            try (AsynchronousFileChannel readOnly = open.open(file, READ);
                 AsynchronousFileChannel writeOnly = open.open(file, WRITE)) {
                out.add("negative read " + call(() -> readOnly.read(buffer, -1)));
                out.add("negative write " + call(() -> writeOnly.write(buffer, -1)));
                out.add("read into read-only " + call(() -> readOnly.read(buffer.asReadOnlyBuffer(), 0)));
                out.add("read on write-only " + call(() -> writeOnly.read(buffer, 0)));
                out.add("write on read-only " + call(() -> readOnly.write(buffer, 0)));
                out.add("negative position first " + call(() -> writeOnly.read(buffer, -1)));
                out.add("null handler " + call(() -> {
                    readOnly.read(buffer, 0, null, null);
                    return null;
                }));
                out.add("handler form, write-only " + io(h -> writeOnly.read(buffer, 0, "attachment", h)));
            }
        });
        assertTrue(seen.contains("read on write-only threw NonReadableChannelException"), seen.toString());
        assertTrue(seen.contains("write on read-only threw NonWritableChannelException"), seen.toString());
        assertTrue(seen.contains("negative position first threw IllegalArgumentException"), seen.toString());
    }

    @Test
    void shouldFailOperationsOnAClosedChannelThroughTheFutureOrHandler() throws Exception {
        List<String> seen = agree((open, dir, out) -> {
            Path file = patterned(dir, FILE_SIZE);
            AsynchronousFileChannel channel = open.open(file, READ, WRITE);
            out.add("open " + channel.isOpen());
            channel.close();
            channel.close();
            out.add("open " + channel.isOpen());
            ByteBuffer buffer = ByteBuffer.allocateDirect(16);
            out.add("read " + future(channel.read(buffer, 0)));
            out.add("read handler " + io(h -> channel.read(buffer, 0, "attachment", h)));
            out.add("write " + future(channel.write(buffer, 0)));
            out.add("write handler " + io(h -> channel.write(buffer, 0, "attachment", h)));
            out.add("read nothing " + future(channel.read(ByteBuffer.allocate(0), 0)));
            out.add("negative position " + call(() -> channel.read(buffer, -1)));
            out.add("size " + call(channel::size));
            // The JDK's truncate throws AsynchronousCloseException here (a ClosedChannelException,
            // replaced in a finally block); fdloop throws ClosedChannelException, as the spec says.
            out.add("truncate " + call(() -> {
                try {
                    return channel.truncate(0);
                } catch (java.nio.channels.ClosedChannelException e) {
                    throw new java.nio.channels.ClosedChannelException();
                }
            }));
            out.add("force " + call(() -> {
                channel.force(true);
                return null;
            }));
            out.add("tryLock " + call(channel::tryLock));
            out.add("lock " + future(channel.lock()));
            out.add("lock handler " + locking(h -> channel.lock("attachment", h), String::valueOf));
        });
        assertTrue(seen.contains("read failed ClosedChannelException"), seen.toString());
        assertTrue(seen.contains("size threw ClosedChannelException"), seen.toString());
    }

    // ---- size, truncate, force --------------------------------------------------------

    @Test
    void shouldReportSizeTruncateOnlyDownwardsAndForce() throws Exception {
        List<String> seen = agree((open, dir, out) -> {
            Path file = patterned(dir, FILE_SIZE);
            try (AsynchronousFileChannel channel = open.open(file, READ, WRITE);
                 AsynchronousFileChannel readOnly = open.open(file, READ)) {
                out.add("size " + channel.size());
                out.add("truncate down " + call(() -> channel.truncate(4000) == channel) + " size " + channel.size());
                out.add("truncate up " + call(() -> channel.truncate(9000) == channel) + " size " + channel.size());
                out.add("truncate negative " + call(() -> channel.truncate(-1)));
                out.add("truncate read-only " + call(() -> readOnly.truncate(0)));
                for (boolean metaData : new boolean[] {true, false}) {
                    out.add("force " + metaData + " " + call(() -> {
                        channel.force(metaData);
                        readOnly.force(metaData);
                        return "done";
                    }));
                }
                out.add("size seen by another channel " + readOnly.size());
            }
            out.add("on disk " + Files.size(file));
        });
        assertTrue(seen.contains("truncate up = true size 4000"), seen.toString());
    }

    // ---- locks ------------------------------------------------------------------------

    @Test
    void shouldLockTryLockAndRefuseOverlapsWithinTheJvm() throws Exception {
        List<String> seen = agree((open, dir, out) -> {
            Path file = patterned(dir, FILE_SIZE);
            try (AsynchronousFileChannel channel = open.open(file, READ, WRITE);
                 AsynchronousFileChannel other = open.open(file, READ, WRITE)) {
                FileLock head = channel.tryLock(0, 100, false);
                out.add("tryLock " + describe(head, channel));
                out.add("overlapping tryLock " + call(() -> channel.tryLock(50, 100, true)));
                out.add("overlapping lock " + call(() -> channel.lock(99, 1, false)));
                out.add("overlapping lock, other channel " + call(() -> other.lock(0, 1, true)));
                out.add("overlapping tryLock, other channel " + call(() -> other.tryLock()));
                FileLock tail = future(channel.lock(100, 100, true), FileLock.class);
                out.add("adjacent lock " + describe(tail, channel));
                out.add("lock handler " + locking(h -> other.lock(1000, 10, false, "attachment", h),
                        lock -> describe(lock, other)));
                head.release();
                out.add("released " + describe(head, channel));
                head.release();
                out.add("released twice " + describe(head, channel));
                FileLock again = other.tryLock(0, 50, false);
                out.add("relocked by the other channel " + describe(again, other));
                out.add("past the end " + describe(channel.tryLock(FILE_SIZE * 2L, 10, false), channel));
                out.add("to the end " + describe(channel.tryLock(30_000, 0, true), channel));
                out.add("negative position " + call(() -> channel.tryLock(-1, 10, false)));
                out.add("negative size " + call(() -> channel.lock(0, -1, false)));
                out.add("overflowing " + call(() -> channel.tryLock(Long.MAX_VALUE, 10, false)));
                channel.close();
                out.add("after close " + describe(tail, channel) + " " + describe(again, other));
                out.add("release after close " + call(() -> {
                    tail.release();
                    return null;
                }));
                out.add("where the closed channel's lock was "
                        + call(() -> describe(other.tryLock(100, 100, false), other)));
            }
        });
        assertTrue(seen.contains("overlapping tryLock threw OverlappingFileLockException"), seen.toString());
        assertTrue(seen.contains("overlapping lock, other channel threw OverlappingFileLockException"), seen.toString());
        assertTrue(seen.contains("to the end 30000:" + (Long.MAX_VALUE - 30_000) + " shared valid"), seen.toString());
    }

    @Test
    void shouldRefuseLockModesTheChannelCannotHold() throws Exception {
        List<String> seen = agree((open, dir, out) -> {
            Path file = patterned(dir, FILE_SIZE);
            try (AsynchronousFileChannel readOnly = open.open(file, READ);
                 AsynchronousFileChannel writeOnly = open.open(file, WRITE)) {
                out.add("shared on write-only tryLock " + call(() -> writeOnly.tryLock(0, 10, true)));
                out.add("shared on write-only lock " + call(() -> writeOnly.lock(0, 10, true)));
                out.add("exclusive on read-only tryLock " + call(() -> readOnly.tryLock(0, 10, false)));
                out.add("exclusive on read-only lock " + call(() -> readOnly.lock()));
                out.add("shared on read-only " + describe(readOnly.tryLock(0, 10, true), readOnly));
                out.add("exclusive on write-only " + describe(future(writeOnly.lock(10, 10, false), FileLock.class), writeOnly));
            }
        });
        assertTrue(seen.contains("shared on write-only lock threw NonReadableChannelException"), seen.toString());
        assertTrue(seen.contains("exclusive on read-only lock threw NonWritableChannelException"), seen.toString());
    }

    @Test
    void shouldSeeLocksHeldThroughAnotherOpenFileDescription() throws Exception {
        List<String> seen = agree((open, dir, out) -> {
            Path file = patterned(dir, FILE_SIZE);
            try (Holder holder = new Holder(file);
                 AsynchronousFileChannel channel = open.open(file, READ, WRITE)) {
                holder.lock(Flock.F_RDLCK, 0, 100);
                out.add("shared beside a shared lock " + describe(channel.tryLock(0, 10, true), channel));
                out.add("exclusive beside a shared lock " + describe(channel.tryLock(50, 10, false), channel));
                holder.lock(Flock.F_WRLCK, 1000, 100);
                out.add("shared beside an exclusive lock " + describe(channel.tryLock(1050, 10, true), channel));
                out.add("beside it " + describe(channel.tryLock(1100, 10, false), channel));

                Future<FileLock> waiting = channel.lock(1000, 1, false);
                Thread.sleep(200);
                out.add("waiting while held " + waiting.isDone());
                holder.unlock(1000, 100);
                out.add("granted once released " + describe(future(waiting, FileLock.class), channel));
            }
        });
        assertTrue(seen.contains("exclusive beside a shared lock null"), seen.toString());
        assertTrue(seen.contains("waiting while held false"), seen.toString());
    }

    @Test
    void shouldFailAWaitingLockWhenTheChannelCloses() throws Exception {
        List<String> seen = agree((open, dir, out) -> {
            Path file = patterned(dir, FILE_SIZE);
            try (Holder holder = new Holder(file)) {
                holder.lock(Flock.F_WRLCK, 0, 0);
                AsynchronousFileChannel channel = open.open(file, READ, WRITE);
                Future<FileLock> waiting = channel.lock(0, 10, false);
                CompletableFuture<String> handled = new CompletableFuture<>();
                channel.lock(100, 10, true, "attachment", new Recorder<FileLock>(handled, String::valueOf));
                out.add("overlapping a waiting lock " + call(() -> channel.tryLock(5, 1, true)));
                out.add("overlapping the other " + call(() -> channel.lock(105, 100, true)));
                Thread.sleep(200);
                channel.close();
                out.add("future " + future(waiting));
                out.add("handler " + handled.get(30, TimeUnit.SECONDS));
                holder.unlock(0, 0);
            }
            try (AsynchronousFileChannel channel = open.open(file, READ, WRITE)) {
                out.add("lockable afterwards " + describe(future(channel.lock(), FileLock.class), channel));
            }
        });
        assertTrue(seen.contains("future failed AsynchronousCloseException"), seen.toString());
    }

    // ---- options ----------------------------------------------------------------------

    @Test
    void shouldOpenWithTheJdksOptionSemantics() throws Exception {
        List<String> seen = agree((open, dir, out) -> {
            Path file = patterned(dir, FILE_SIZE);
            Path missing = dir.resolve("missing");
            out.add("append " + opened(open, file, WRITE, APPEND));
            out.add("append read " + opened(open, file, READ, APPEND));
            out.add("foreign option " + opened(open, file, READ, new OpenOption() { }));
            out.add("missing " + opened(open, missing, READ));
            out.add("create without write " + opened(open, missing, READ, CREATE) + " exists " + Files.exists(missing));
            out.add("create new over a file " + opened(open, file, WRITE, CREATE_NEW));
            out.add("truncate without write " + opened(open, file, READ, TRUNCATE_EXISTING) + " " + Files.size(file));
            out.add("sparse " + opened(open, missing, WRITE, CREATE_NEW, SPARSE) + " exists " + Files.exists(missing));
            for (StandardOpenOption sync : List.of(SYNC, DSYNC)) {
                try (AsynchronousFileChannel channel = open.open(file, WRITE, sync)) {
                    out.add(sync + " write " + future(channel.write(ByteBuffer.wrap(pattern(4096, 9)), 100))
                            + " then size " + channel.size());
                }
            }
            out.add("truncate " + opened(open, file, WRITE, TRUNCATE_EXISTING) + " " + Files.size(file));
            out.add("neither read nor write " + opened(open, file));
        });
        assertTrue(seen.contains("append threw UnsupportedOperationException"), seen.toString());
        assertTrue(seen.contains("truncate = opened 0"), seen.toString());
    }

    @Test
    void shouldRefuseTheOptionsFdloopDoesNotSupport() throws IOException {
        Path file = patterned(dir, FILE_SIZE);
        for (OpenOption option : List.of(DELETE_ON_CLOSE, LinkOption.NOFOLLOW_LINKS)) {
            assertThrows(UnsupportedOperationException.class, () -> FdloopFileChannel.open(file, READ, option), option.toString());
        }
        assertThrows(NullPointerException.class, () -> FdloopFileChannel.open(file, READ, null));
        assertTrue(Files.exists(file));
    }

    // ---- fdloop specifics -------------------------------------------------------------

    @Test
    void shouldRunHandlersAndCompleteFuturesOnTheDefaultLoopThread() throws Exception {
        Path file = patterned(dir, FILE_SIZE);
        try (AsynchronousFileChannel channel = FdloopFileChannel.open(file, READ, WRITE)) {
            String loopThread = "completed " + FdloopFileChannel.DEFAULT_LOOP_NAME;
            assertEquals(loopThread, io(h -> channel.read(ByteBuffer.allocate(10), 0, null, h), n -> Thread.currentThread().getName()));
            assertEquals(loopThread, io(h -> channel.write(ByteBuffer.allocate(0), 0, null, h), n -> Thread.currentThread().getName()),
                    "a result known without the kernel also arrives on the loop");
            assertEquals(loopThread, locking(h -> channel.lock(0, 10, false, null, h), lock -> Thread.currentThread().getName()));
            assertEquals(loopThread, io(h -> channel.read(ByteBuffer.allocate(10), 0, null, h), n -> {
                // a handler may use the blocking methods; they stall the loop, they do not deadlock it
                try {
                    channel.force(true);
                    return channel.tryLock(100, 1, true) != null && channel.size() == FILE_SIZE
                            ? Thread.currentThread().getName() : "refused";
                } catch (IOException e) {
                    return e.toString();
                }
            }));
        }
    }

    @Test
    void shouldReleaseALockGrantedAfterItsFutureWasCancelled() throws Exception {
        Path file = patterned(dir, FILE_SIZE);
        try (Holder holder = new Holder(file);
             AsynchronousFileChannel channel = FdloopFileChannel.open(file, READ, WRITE)) {
            holder.lock(Flock.F_WRLCK, 0, 10);
            Future<FileLock> waiting = channel.lock(0, 10, false);
            assertTrue(waiting.cancel(false));
            holder.unlock(0, 10);
            // The abandoned lock is refused as an overlap until it is granted and given back.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            FileLock lock = null;
            while (lock == null && System.nanoTime() < deadline) {
                try {
                    lock = channel.tryLock(0, 10, false);
                } catch (java.nio.channels.OverlappingFileLockException stillThere) {
                    Thread.sleep(10);
                }
            }
            assertTrue(lock != null && lock.isValid(), "the cancelled lock was given back");
        }
    }

    @ParameterizedTest
    @EnumSource(value = FileBackend.class, names = {"AIO", "URING", "THREADS"})
    void shouldWorkOnEveryFileBackend(FileBackend backend) throws Exception {
        assumeTrue(backend.isAvailable(), () -> backend + " is unavailable here: " + backend.unavailabilityCause());
        try (EventLoop loop = EventLoop.builder().name("channel-" + backend).daemon(true).with(FileSettings.defaults().withBackend(backend)).start()) {
            Path file = dir.resolve("backend.dat");
            byte[] data = pattern(3 * 4096, 11);
            try (AsynchronousFileChannel channel = FdloopFileChannel.open(loop, file, Set.of(READ, WRITE, CREATE_NEW))) {
                assertEquals(4096, (int) channel.write(ByteBuffer.wrap(data, 0, 4096), 0).get(30, TimeUnit.SECONDS));
                ByteBuffer direct = ByteBuffer.allocateDirect(8192).put(data, 4096, 8192).flip();
                assertEquals("completed 8192", io(h -> channel.write(direct, 4096, null, h)));
                channel.force(false);
                assertEquals(data.length, channel.size());
                ByteBuffer back = ByteBuffer.allocate(data.length);
                readFully(channel, back);
                assertArrayEquals(data, back.array());
                assertEquals(-1, (int) channel.read(ByteBuffer.allocateDirect(10), data.length).get(30, TimeUnit.SECONDS));
                assertEquals(-1, (int) channel.read(ByteBuffer.allocate(10), data.length + 1).get(30, TimeUnit.SECONDS));
            }
            try (AsynchronousFileChannel direct = FdloopFileChannel.open(loop, file, Set.of(READ, WRITE, ExtendedOpenOption.DIRECT))) {
                ByteBuffer heap = ByteBuffer.allocate(4096);
                assertEquals(4096, (int) direct.read(heap, 4096).get(30, TimeUnit.SECONDS));
                assertArrayEquals(Arrays.copyOfRange(data, 4096, 8192), heap.array(), "a heap buffer bounces through an aligned one");
                ByteBuffer aligned = AlignedBuffers.allocateDirect(4096, AlignedBuffers.SAFE_ALIGNMENT);
                assertEquals(4096, (int) direct.read(aligned, 8192).get(30, TimeUnit.SECONDS));
                assertEquals(ByteBuffer.wrap(data, 8192, 4096), aligned.flip());
                ExecutionException misaligned = assertThrows(ExecutionException.class,
                        () -> direct.read(ByteBuffer.allocate(100), 0).get(30, TimeUnit.SECONDS));
                assertInstanceOf(IllegalArgumentException.class, misaligned.getCause());
                assertTrue(misaligned.getCause().getMessage().contains("O_DIRECT"), misaligned.getCause().getMessage());
                assertEquals(4096, (int) direct.write(ByteBuffer.wrap(data, 0, 4096), 8192).get(30, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void shouldRunHandlersAndCompleteFuturesOnTheExecutorTheChannelWasOpenedWith() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2,
                Thread.ofPlatform().name("custom-pool-", 0).factory());
        try {
            List<String> seen = new ArrayList<>();
            for (boolean fdloop : new boolean[] {false, true}) {
                Path file = patterned(Files.createDirectories(dir.resolve(fdloop ? "fdloop" : "jdk")), FILE_SIZE);
                Set<OpenOption> options = Set.of(READ, WRITE);
                try (AsynchronousFileChannel channel = fdloop ? FdloopFileChannel.open(file, options, pool)
                        : AsynchronousFileChannel.open(file, options, pool)) {
                    String prefix = fdloop ? "fdloop " : "jdk ";
                    seen.add(prefix + io(h -> channel.read(ByteBuffer.allocate(10), 0, null, h),
                            n -> Thread.currentThread().getName().replaceAll("\\d+$", "N")));
                    seen.add(prefix + io(h -> channel.write(ByteBuffer.allocateDirect(10), 0, null, h),
                            n -> Thread.currentThread().getName().replaceAll("\\d+$", "N")));
                    seen.add(prefix + locking(h -> channel.lock(0, 10, false, null, h),
                            lock -> Thread.currentThread().getName().replaceAll("\\d+$", "N")));
                }
            }
            assertEquals(List.of("jdk completed custom-pool-N", "jdk completed custom-pool-N", "jdk completed custom-pool-N",
                    "fdloop completed custom-pool-N", "fdloop completed custom-pool-N", "fdloop completed custom-pool-N"), seen);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Each SYNC write in flight at the close ends with its own result or AsynchronousCloseException. */
    @ParameterizedTest
    @EnumSource(value = FileBackend.class, names = {"AIO", "URING", "THREADS"})
    void shouldEndSyncWritesInFlightAtCloseWithTheirResultOrAnAsynchronousClose(FileBackend backend)
            throws Exception {
        assumeTrue(backend.isAvailable(), () -> backend + " is unavailable here: " + backend.unavailabilityCause());
        try (EventLoop loop = EventLoop.builder().name("sync-" + backend).daemon(true).with(FileSettings.defaults().withBackend(backend)).start()) {
            Path file = dir.resolve("sync-" + backend + ".dat");
            AsynchronousFileChannel channel = FdloopFileChannel.open(loop, file, Set.of(WRITE, CREATE, SYNC));
            List<Future<Integer>> writes = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                writes.add(channel.write(ByteBuffer.allocateDirect(4096), i * 4096L));
            }
            channel.close();
            int written = 0;
            for (Future<Integer> write : writes) {
                try {
                    assertEquals(4096, write.get(30, TimeUnit.SECONDS));
                    written++;
                } catch (ExecutionException e) {
                    assertInstanceOf(java.nio.channels.AsynchronousCloseException.class, e.getCause());
                }
            }
            assertTrue(Files.size(file) >= written * 4096L);
        }
    }

    @Test
    void shouldWaitForLocksWithoutAThreadEach() throws Exception {
        Path file = patterned(dir, FILE_SIZE);
        try (Holder holder = new Holder(file);
             AsynchronousFileChannel channel = FdloopFileChannel.open(file, READ, WRITE)) {
            holder.lock(Flock.F_WRLCK, 0, 0);
            int threadsBefore = Thread.activeCount();
            List<Future<FileLock>> waiting = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                waiting.add(channel.lock(i * 10L, 10, false));
            }
            Thread.sleep(100);
            assertTrue(Thread.activeCount() < threadsBefore + 5, "threads before " + threadsBefore + ", now "
                    + Thread.activeCount() + " with 100 locks waiting");
            for (Future<FileLock> lock : waiting) {
                assertFalse(lock.isDone());
            }
            holder.unlock(0, 0);
            for (Future<FileLock> lock : waiting) {
                assertTrue(lock.get(30, TimeUnit.SECONDS).isValid());
            }
        }
    }

    @Test
    void shouldNeverRunAHandlerOnTheThreadThatStartedTheOperation() throws Exception {
        Path file = patterned(dir, FILE_SIZE);
        EventLoop loop = EventLoop.builder().name("gone").daemon(true).start();
        AsynchronousFileChannel channel = FdloopFileChannel.open(loop, file, Set.of(READ));
        loop.close();
        String ranOn = io(h -> channel.read(ByteBuffer.allocate(10), 0, null, h), n -> Thread.currentThread().getName());
        assertEquals("failed ClosedChannelException", ranOn.replaceAll(" on .*", ""));
        CompletableFuture<String> thread = new CompletableFuture<>();
        channel.read(ByteBuffer.allocate(10), 0, null, new CompletionHandler<Integer, Object>() {
            @Override
            public void completed(Integer result, Object attachment) {
                thread.complete("completed");
            }

            @Override
            public void failed(Throwable error, Object attachment) {
                thread.complete(Thread.currentThread().getName());
            }
        });
        assertEquals(FdloopFileChannel.LATE_COMPLETION_THREAD, thread.get(30, TimeUnit.SECONDS));
    }

    /** A buffer viewing a shared arena closed while its read is in flight: the read fails or completes, the JVM lives. */
    @Test
    void shouldSurviveTheArenaOfABufferClosedWhileItsReadIsInFlight() throws Exception {
        int size = 1 << 20;
        Path file = patterned(dir, size);
        try (AsynchronousFileChannel channel = FdloopFileChannel.open(file, READ)) {
            for (int round = 0; round < 100; round++) {
                java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared();
                Future<Integer> read = channel.read(arena.allocate(size).asByteBuffer(), 0);
                arena.close();
                try (java.lang.foreign.Arena next = java.lang.foreign.Arena.ofShared()) {
                    java.lang.foreign.MemorySegment canary = next.allocate(size).fill((byte) 0x55);
                    try {
                        assertEquals(size, read.get(30, TimeUnit.SECONDS));
                    } catch (ExecutionException e) {
                        assertInstanceOf(IllegalStateException.class, e.getCause());
                    }
                    for (long i = 0; i < size; i += 4096) {
                        assertEquals((byte) 0x55, canary.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i));
                    }
                }
            }
        }
    }

    @Test
    void shouldCloseTheChannelWhenItsLoopCloses() throws Exception {
        Path file = patterned(dir, FILE_SIZE);
        EventLoop loop = EventLoop.builder().name("closing").daemon(true).start();
        AsynchronousFileChannel channel = FdloopFileChannel.open(loop, file, Set.of(READ));
        loop.close();
        assertFalse(channel.isOpen());
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> channel.read(ByteBuffer.allocate(10), 0).get(30, TimeUnit.SECONDS));
        assertInstanceOf(java.nio.channels.ClosedChannelException.class, failed.getCause());
        channel.close();
    }

    // ---- helpers ----------------------------------------------------------------------

    /** Runs {@code scenario} on the JDK's channel and on fdloop's, and checks they saw the same. */
    private List<String> agree(Scenario scenario) throws Exception {
        List<String> jdk = new ArrayList<>();
        scenario.run(JDK, Files.createDirectory(dir.resolve("jdk")), jdk);
        List<String> fdloop = new ArrayList<>();
        scenario.run(FDLOOP, Files.createDirectory(dir.resolve("fdloop")), fdloop);
        assertEquals(String.join("\n", jdk), String.join("\n", fdloop), "what the JDK's channel and fdloop's saw");
        return jdk;
    }

    private static Path patterned(Path dir, int size) throws IOException {
        Path file = dir.resolve("patterned");
        Files.write(file, pattern(size, 0));
        return file;
    }

    private static byte[] pattern(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + seed * 7 + (i >> 8));
        }
        return bytes;
    }

    private static String contents(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate().flip();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return "position " + buffer.position() + (bytes.length > 10 ? " bytes " + Arrays.hashCode(bytes) : "");
    }

    private static void readFully(AsynchronousFileChannel channel, ByteBuffer buffer) throws Exception {
        long position = 0;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position).get(30, TimeUnit.SECONDS);
            assertTrue(n > 0, "end of file at " + position);
            position += n;
        }
    }

    private static String opened(Opener open, Path file, OpenOption... options) {
        return call(() -> {
            open.open(file, options).close();
            return "opened";
        });
    }

    @FunctionalInterface
    interface Call {
        Object call() throws Exception;
    }

    /** {@code "= result"}, or {@code "threw ExceptionName"}. */
    private static String call(Call call) {
        try {
            return "= " + call.call();
        } catch (Exception e) {
            return "threw " + e.getClass().getSimpleName();
        }
    }

    /** {@code "= result"}, or {@code "failed ExceptionName"}. */
    private static String future(Future<?> future) throws Exception {
        try {
            Object result = future.get(30, TimeUnit.SECONDS);
            return "= " + (result instanceof FileLock lock ? describe(lock, lock.acquiredBy()) : result);
        } catch (ExecutionException e) {
            return "failed " + e.getCause().getClass().getSimpleName();
        }
    }

    private static <T> T future(Future<?> future, Class<T> type) throws Exception {
        return type.cast(future.get(30, TimeUnit.SECONDS));
    }

    private static String io(Consumer<CompletionHandler<Integer, Object>> start) throws Exception {
        return io(start, String::valueOf);
    }

    private static String io(Consumer<CompletionHandler<Integer, Object>> start, Function<Integer, String> describe)
            throws Exception {
        return outcome(start, describe);
    }

    private static String locking(Consumer<CompletionHandler<FileLock, Object>> start, Function<FileLock, String> describe)
            throws Exception {
        return outcome(start, describe);
    }

    /** Starts an operation with a {@link Recorder}: how it completed and with which attachment, or what it threw. */
    private static <V> String outcome(Consumer<CompletionHandler<V, Object>> start, Function<V, String> describe)
            throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        try {
            start.accept(new Recorder<>(outcome, describe));
        } catch (RuntimeException e) {
            return "threw " + e.getClass().getSimpleName();
        }
        return outcome.get(30, TimeUnit.SECONDS);
    }

    /** A handler that completes {@code outcome} with what happened, described on the thread that ran it. */
    private record Recorder<V>(CompletableFuture<String> outcome, Function<V, String> describe)
            implements CompletionHandler<V, Object> {
        @Override
        public void completed(V result, Object attachment) {
            outcome.complete("completed " + describe.apply(result) + (attachment == null ? "" : " with " + attachment));
        }

        @Override
        public void failed(Throwable error, Object attachment) {
            outcome.complete("failed " + error.getClass().getSimpleName() + (attachment == null ? "" : " with " + attachment));
        }
    }

    private static String describe(FileLock lock, Object channel) {
        if (lock == null) {
            return "null";
        }
        return lock.position() + ":" + lock.size() + (lock.isShared() ? " shared" : " exclusive")
                + (lock.isValid() ? " valid" : " invalid") + (lock.acquiredBy() == channel ? "" : " acquired by another channel");
    }

    /** An OFD lock held through an open of the file of its own, as another process would hold one. */
    private static final class Holder implements AutoCloseable {
        private final Syscalls syscalls = Syscalls.linux();
        private final int fd;

        Holder(Path file) throws IOException {
            fd = FileOpen.open(syscalls, file, Arch.O_RDWR);
        }

        void lock(short type, long start, long length) {
            assertEquals(0, Flock.apply(syscalls, fd, Flock.F_OFD_SETLK, type, start, length));
        }

        void unlock(long start, long length) {
            assertEquals(0, Flock.apply(syscalls, fd, Flock.F_OFD_SETLK, Flock.F_UNLCK, start, length));
        }

        @Override
        public void close() {
            syscalls.close(fd);
        }
    }
}
