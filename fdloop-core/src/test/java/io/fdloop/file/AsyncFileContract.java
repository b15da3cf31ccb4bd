package io.fdloop.file;

import io.fdloop.EventLoop;
import io.fdloop.file.FileBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What every file backend must do, run once per backend by its subclass; a backend the kernel
 * refuses here is skipped, with the kernel's reason, never faked.
 */
abstract class AsyncFileContract {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    EventLoop loop;
    Arena arena;

    /** The backend under test. */
    abstract FileBackend backend();

    FileSettings settings() {
        return FileSettings.defaults().withBackend(backend());
    }

    EventLoop.Builder loopBuilder(String name) {
        return EventLoop.builder().name(name).daemon(true).with(settings());
    }

    @BeforeEach
    void startLoop() throws IOException {
        assumeTrue(backend().isAvailable(), () -> backend() + " is unavailable here: " + backend().unavailabilityCause());
        loop = loopBuilder("file-test").start();
        arena = Arena.ofShared();
    }

    @AfterEach
    void closeLoop() {
        if (loop != null) {
            loop.close();
            arena.close();
        }
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void shouldWriteAndReadBack64MiBOfARandomPattern(boolean direct) throws Exception {
        try (AsyncFile file = open(direct)) {
            assertEquals(backend(), file.backend());
            assertWriteReadBack(file, 64 * MIB, 42);
        }
    }

    /** Writes {@code total} random bytes in random-sized aligned chunks, all in flight at once, then reads them back. */
    void assertWriteReadBack(AsyncFile file, int total, long seed) throws Exception {
        Random random = new Random(seed);
        byte[] expected = new byte[total];
        random.nextBytes(expected);
        MemorySegment source = AlignedBuffers.allocate(arena, total, 4096);
        MemorySegment.copy(MemorySegment.ofArray(expected), 0, source, 0, total);
        List<CompletableFuture<Integer>> writes = new ArrayList<>();
        List<int[]> chunks = new ArrayList<>();
        for (int offset = 0; offset < total; ) {
            int length = Math.min(total - offset, 4096 * (1 + random.nextInt(64)));
            chunks.add(new int[]{offset, length});
            writes.add(file.write(source.asSlice(offset, length), offset));
            offset += length;
        }
        for (int i = 0; i < writes.size(); i++) {
            assertEquals(chunks.get(i)[1], writes.get(i).get(30, TimeUnit.SECONDS), "bytes written by chunk " + i);
        }
        file.fdatasync().get(30, TimeUnit.SECONDS);
        assertEquals(total, file.size());

        MemorySegment target = AlignedBuffers.allocate(arena, total, 4096);
        List<CompletableFuture<Integer>> reads = new ArrayList<>();
        for (int[] chunk : chunks) {
            reads.add(file.read(target.asSlice(chunk[0], chunk[1]), chunk[0]));
        }
        for (int i = 0; i < reads.size(); i++) {
            assertEquals(chunks.get(i)[1], reads.get(i).get(30, TimeUnit.SECONDS), "bytes read by chunk " + i);
        }
        assertArrayEquals(expected, target.toArray(JAVA_BYTE));
        byte[] onDisk = Files.readAllBytes(file.path());
        assertArrayEquals(expected, onDisk);
    }

    @Test
    void shouldCompleteTenThousandRequestsAgainstA128EntryRing() throws Exception {
        EventLoop small = loopBuilder("small-ring").with(settings().withQueueDepth(128)).start();
        try (AsyncFile file = AsyncFile.open(small, dir.resolve("ring128.dat"), FileOption.READ, FileOption.WRITE,
                FileOption.CREATE, FileOption.DIRECT)) {
            file.allocate(0, 10_000L * 4096);
            MemorySegment buffers = AlignedBuffers.allocate(arena, 10_000L * 4096, 4096);
            for (int i = 0; i < 10_000; i++) {
                buffers.set(JAVA_BYTE, i * 4096L, (byte) i);
            }
            CountDownLatch done = new CountDownLatch(1);
            AtomicInteger completed = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger offLoop = new AtomicInteger();
            IoHandler<Integer> handler = new IoHandler<>() {
                @Override
                public void completed(int result, Integer block) {
                    count(result == 4096);
                }

                @Override
                public void failed(Throwable error, Integer block) {
                    count(false);
                }

                private void count(boolean ok) {
                    if (!small.inLoop()) {
                        offLoop.incrementAndGet();
                    }
                    if (!ok) {
                        failures.incrementAndGet();
                    }
                    if (completed.incrementAndGet() == 10_000) {
                        done.countDown();
                    }
                }
            };
            // Issued on the loop thread, so all 10 000 are queued in one iteration.
            small.execute(() -> {
                for (int i = 0; i < 10_000; i++) {
                    file.write(buffers.asSlice(i * 4096L, 4096), i * 4096L, i, handler);
                }
            });
            assertTrue(done.await(60, TimeUnit.SECONDS), "all 10 000 writes complete; completed " + completed.get());
            assertEquals(0, failures.get());
            assertEquals(0, offLoop.get(), "completions ran off the loop thread");
            byte[] written = Files.readAllBytes(file.path());
            for (int i = 0; i < 10_000; i++) {
                assertEquals((byte) i, written[i * 4096], "block " + i);
            }
        } finally {
            small.close();
        }
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void shouldCompleteFsyncAndFdatasync(boolean direct) throws Exception {
        try (AsyncFile file = open(direct)) {
            file.write(AlignedBuffers.allocate(arena, 4096, 4096), 0).get(10, TimeUnit.SECONDS);
            file.fsync().get(10, TimeUnit.SECONDS);
            file.fdatasync().get(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void shouldWriteAndFdatasyncAsOneRequest(boolean direct) throws Exception {
        int count = 200;
        try (AsyncFile file = open(direct)) {
            MemorySegment blocks = AlignedBuffers.allocate(arena, 4096L * count, 4096);
            for (int i = 0; i < count; i++) {
                blocks.asSlice(4096L * i, 4096).fill((byte) (i + 1));
            }
            List<CompletableFuture<Integer>> durable = new ArrayList<>();
            AtomicInteger offLoop = new AtomicInteger();
            CompletableFuture<Void> issued = new CompletableFuture<>();
            loop.execute(() -> { // one iteration: every pair goes out in the same submission
                for (int i = 0; i < count; i++) {
                    CompletableFuture<Integer> done = new CompletableFuture<>();
                    durable.add(done);
                    file.writeAndFdatasync(blocks.asSlice(4096L * i, 4096), 4096L * i, done, (d, result, failure) -> {
                        if (!loop.inLoop()) {
                            offLoop.incrementAndGet();
                        }
                        if (failure != null) {
                            d.completeExceptionally(failure);
                        } else {
                            d.complete(result);
                        }
                    });
                }
                issued.complete(null);
            });
            issued.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < count; i++) {
                assertEquals(4096, durable.get(i).get(30, TimeUnit.SECONDS), "block " + i);
            }
            assertEquals(0, offLoop.get(), "completions ran off the loop thread");

            ByteBuffer last = AlignedBuffers.allocateDirect(4096, 4096);
            fill(last, (byte) 0x5a);
            assertEquals(4096, file.writeAndFdatasync(last, 4096L * count).get(10, TimeUnit.SECONDS));
            assertFalse(last.hasRemaining(), "the buffer's position advanced");

            byte[] onDisk = Files.readAllBytes(file.path());
            assertEquals(4096 * (count + 1), onDisk.length);
            for (int i = 0; i < count; i++) {
                assertEquals((byte) (i + 1), onDisk[4096 * i], "block " + i);
                assertEquals((byte) (i + 1), onDisk[4096 * i + 4095], "block " + i);
            }
            assertEquals((byte) 0x5a, onDisk[4096 * count]);
        }
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void shouldReadAndWriteVectorsAndAdvanceByteBuffers(boolean direct) throws Exception {
        try (AsyncFile file = open(direct)) {
            ByteBuffer a = AlignedBuffers.allocateDirect(4096, 4096);
            ByteBuffer b = AlignedBuffers.allocateDirect(8192, 4096);
            fill(a, (byte) 1);
            fill(b, (byte) 2);
            assertEquals(12288, file.write(new ByteBuffer[]{a, b}, 4096).get(10, TimeUnit.SECONDS));
            assertFalse(a.hasRemaining());
            assertFalse(b.hasRemaining());

            MemorySegment x = AlignedBuffers.allocate(arena, 8192, 4096);
            MemorySegment y = AlignedBuffers.allocate(arena, 4096, 4096);
            assertEquals(12288, file.read(new MemorySegment[]{x, y}, 4096).get(10, TimeUnit.SECONDS));
            assertEquals(1, x.get(JAVA_BYTE, 4095));
            assertEquals(2, x.get(JAVA_BYTE, 4096));
            assertEquals(2, y.get(JAVA_BYTE, 4095));

            ByteBuffer one = AlignedBuffers.allocateDirect(4096, 4096);
            assertEquals(4096, file.read(one, 8192).get(10, TimeUnit.SECONDS));
            assertEquals(4096, one.position());
            assertEquals(2, one.get(0));
        }
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void shouldReturnAShortCountPastEndOfFile(boolean direct) throws Exception {
        try (AsyncFile file = open(direct)) {
            file.write(AlignedBuffers.allocate(arena, 4096, 4096), 0).get(10, TimeUnit.SECONDS);
            MemorySegment buffer = AlignedBuffers.allocate(arena, 8192, 4096);
            assertEquals(4096, file.read(buffer, 0).get(10, TimeUnit.SECONDS));
            assertEquals(0, file.read(buffer, 1 << 20).get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldRefuseMisalignedDirectIoWithTheAlignmentRequired() throws Exception {
        try (AsyncFile file = open(true)) {
            DirectAlignment alignment = file.directAlignment();
            assertTrue(alignment.memory() > 1 && alignment.offset() > 1, alignment.toString());
            MemorySegment aligned = AlignedBuffers.allocate(arena, 8192, 4096);

            String address = failure(file.read(aligned.asSlice(1, 4096), 0), IllegalArgumentException.class);
            assertTrue(address.contains("buffer address") && address.contains("aligned to " + alignment.memory()), address);
            String offset = failure(file.read(aligned.asSlice(0, 4096), 1), IllegalArgumentException.class);
            assertTrue(offset.contains("file offset 1") && offset.contains("multiples of " + alignment.offset()), offset);
            String length = failure(file.read(aligned.asSlice(0, 100), 0), IllegalArgumentException.class);
            assertTrue(length.contains("length 100"), length);
            String vector = failure(file.write(new MemorySegment[]{aligned.asSlice(0, 4096), aligned.asSlice(1, 4096)}, 0),
                    IllegalArgumentException.class);
            assertTrue(vector.startsWith("buffer 1:"), vector);
        }
    }

    @Test
    void shouldRefuseBadArguments() throws Exception {
        try (AsyncFile file = open(false)) {
            MemorySegment buffer = arena.allocate(4096);
            String negative = failure(file.read(buffer, -1), IllegalArgumentException.class);
            assertTrue(negative.contains("position must be >= 0, was -1"), negative);
            String heap = failure(file.read(ByteBuffer.allocate(16), 0), IllegalArgumentException.class);
            assertTrue(heap.contains("heap buffer"), heap);
            String heapSegment = failure(file.write(MemorySegment.ofArray(new byte[16]), 0), IllegalArgumentException.class);
            assertTrue(heapSegment.contains("heap buffer"), heapSegment);
            String readOnly = failure(file.read(ByteBuffer.allocateDirect(16).asReadOnlyBuffer(), 0),
                    IllegalArgumentException.class);
            assertTrue(readOnly.contains("read-only"), readOnly);
            String empty = failure(file.read(new MemorySegment[0], 0), IllegalArgumentException.class);
            assertTrue(empty.contains("1 to 1024 buffers"), empty);
        }
    }

    @Test
    void shouldRefuseReadsOnWriteOnlyAndWritesOnReadOnlyFiles() throws Exception {
        Path path = dir.resolve("modes.dat");
        Files.write(path, new byte[4096]);
        MemorySegment buffer = arena.allocate(4096);
        try (AsyncFile writeOnly = AsyncFile.open(loop, path, FileOption.WRITE)) {
            failure(writeOnly.read(buffer, 0), NonReadableChannelException.class);
        }
        try (AsyncFile readOnly = AsyncFile.open(loop, path)) {
            failure(readOnly.write(buffer, 0), NonWritableChannelException.class);
            failure(readOnly.writeAndFdatasync(buffer, 0), NonWritableChannelException.class);
            assertEquals(4096, readOnly.read(buffer, 0).get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldTruncateAndExtendLikeFtruncate() throws Exception {
        Path path = dir.resolve("truncated.dat");
        Files.write(path, new byte[10_000]);
        try (AsyncFile file = AsyncFile.open(loop, path, FileOption.WRITE)) {
            file.truncate(4096);
            assertEquals(4096, file.size());
            file.truncate(20_000);
            assertEquals(20_000, Files.size(path), "a larger size extends the file");
            assertThrows(IllegalArgumentException.class, () -> file.truncate(-1));
        }
        try (AsyncFile readOnly = AsyncFile.open(loop, path)) {
            assertThrows(NonWritableChannelException.class, () -> readOnly.truncate(0));
        }
        AsyncFile closed = AsyncFile.open(loop, path, FileOption.WRITE);
        closed.close();
        assertThrows(ClosedChannelException.class, () -> closed.truncate(0));
        assertEquals(20_000, Files.size(path));
    }

    @Test
    void shouldFailOperationsOnAClosedFileAtOnce() throws Exception {
        AsyncFile file = open(true);
        file.close();
        file.close();
        assertFalse(file.isOpen());
        failure(file.read(AlignedBuffers.allocate(arena, 4096, 4096), 0), ClosedChannelException.class);
        failure(file.fsync(), ClosedChannelException.class);
        assertThrows(ClosedChannelException.class, file::size);
    }

    @Test
    void shouldFailOperationsOnAClosedLoopAtOnce() throws Exception {
        AsyncFile file = open(true);
        loop.close();
        assertFalse(file.isOpen(), "closing the loop closes its files");
        failure(file.read(AlignedBuffers.allocate(arena, 4096, 4096), 0), ClosedChannelException.class);
        assertThrows(ClosedChannelException.class, () -> AsyncFile.open(loop, dir.resolve("late.dat"),
                FileOption.WRITE, FileOption.CREATE));
    }

    @Test
    void shouldSayWhenTheFileSystemHasNoDirectIo() {
        // procfs files cannot be opened with O_DIRECT (tmpfs can, since Linux 6.6).
        IOException refused = assertThrows(IOException.class,
                () -> AsyncFile.open(loop, Path.of("/proc/self/status"), FileOption.DIRECT));
        assertTrue(refused.getMessage().contains("does not support direct I/O")
                && refused.getMessage().contains("proc"), refused.getMessage());
    }

    @Test
    void shouldNameThePathWhenAFileIsMissing() {
        Path missing = dir.resolve("missing.dat");
        IOException refused = assertThrows(java.nio.file.NoSuchFileException.class, () -> AsyncFile.open(loop, missing));
        assertTrue(refused.getMessage().contains(missing.toString()), refused.getMessage());
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void shouldCompleteEveryRequestWhenTheFileClosesWithRequestsInFlight(boolean direct) throws Exception {
        AsyncFile file = open(direct);
        file.allocate(0, 4096L * 512);
        MemorySegment buffers = AlignedBuffers.allocate(arena, 4096L * 512, 4096);
        List<CompletableFuture<Integer>> inFlight = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            inFlight.add(file.write(buffers.asSlice(i * 4096L, 4096), i * 4096L));
        }
        file.close();
        for (CompletableFuture<Integer> future : inFlight) {
            assertEquals(4096, future.get(30, TimeUnit.SECONDS));
        }
        assertFalse(file.isOpen());
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void shouldCompleteEveryRequestWhenTheLoopClosesWithRequestsInFlight(boolean direct) throws Exception {
        AsyncFile file = open(direct);
        file.allocate(0, 4096L * 512);
        MemorySegment buffers = AlignedBuffers.allocate(arena, 4096L * 512, 4096);
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            futures.add(file.write(buffers.asSlice(i * 4096L, 4096), i * 4096L));
        }
        loop.close();
        for (CompletableFuture<Integer> future : futures) {
            assertTrue(future.isDone(), "every future is complete once close() returned");
            try {
                assertEquals(4096, future.join());
            } catch (CompletionException e) {
                // queued behind the close on the task queue: refused, but completed
                assertInstanceOf(ClosedChannelException.class, e.getCause());
            }
        }
        assertFalse(file.isOpen());
    }

    @Test
    void shouldRunCompletionsOnTheLoopThread() throws Exception {
        try (AsyncFile file = open(true)) {
            CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
            IoHandler<Void> handler = new IoHandler<>() {
                @Override
                public void completed(int result, Void ignored) {
                    onLoop.complete(loop.inLoop());
                }

                @Override
                public void failed(Throwable error, Void ignored) {
                    onLoop.completeExceptionally(error);
                }
            };
            file.write(AlignedBuffers.allocate(arena, 4096, 4096), 0, null, handler);
            file.fsync(null, handler);
            assertTrue(onLoop.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldAgreeWithFileChannelOnBufferedFiles() throws Exception {
        Path path = dir.resolve("model.dat");
        byte[] bytes = new byte[100_000];
        new Random(3).nextBytes(bytes);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), 0);
        }
        try (AsyncFile file = AsyncFile.open(loop, path)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1000);
            assertEquals(1000, file.read(buffer, 12_345).get(10, TimeUnit.SECONDS));
            buffer.flip();
            byte[] got = new byte[1000];
            buffer.get(got);
            assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 12_345, 13_345), got);
        }
    }

    private AsyncFile open(boolean direct) throws IOException {
        Path path = dir.resolve(direct ? "direct.dat" : "buffered.dat");
        return direct
                ? AsyncFile.open(loop, path, FileOption.READ, FileOption.WRITE, FileOption.CREATE, FileOption.DIRECT)
                : AsyncFile.open(loop, path, FileOption.READ, FileOption.WRITE, FileOption.CREATE);
    }

    private static void fill(ByteBuffer buffer, byte value) {
        while (buffer.hasRemaining()) {
            buffer.put(value);
        }
        buffer.flip();
    }

    /** The message of the exception {@code future} failed with, after checking its type. */
    private static String failure(CompletableFuture<?> future, Class<? extends Throwable> type) throws Exception {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            assertInstanceOf(type, e.getCause());
            return String.valueOf(e.getCause().getMessage());
        }
        throw new AssertionError("expected the operation to fail with " + type.getSimpleName());
    }
}
