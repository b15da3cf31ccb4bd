package io.fdloop.file;

import io.fdloop.EventLoop;
import io.fdloop.file.FileBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a careless or hostile caller does, on every backend: buffers whose memory is gone or may go,
 * files that are not files, handlers that retry forever or throw. Each gets a clear failure; nothing
 * crashes the JVM, writes into memory it does not own, or keeps the loop from serving its timers.
 */
class MisuseTest {
    private static final long TIMEOUT_S = 30;

    @TempDir
    Path dir;

    private static EventLoop start(FileBackend backend) throws IOException {
        assumeTrue(backend.isAvailable(), () -> backend + " is unavailable here: " + backend.unavailabilityCause());
        return EventLoop.builder().name("misuse-" + backend).daemon(true).with(FileSettings.defaults().withBackend(backend)).start();
    }

    private static Throwable failure(CompletableFuture<?> future) throws Exception {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> future.get(TIMEOUT_S, TimeUnit.SECONDS));
        return failed.getCause();
    }

    private Path patterned(int size) throws IOException {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return Files.write(dir.resolve("pattern.dat"), bytes);
    }

    @ParameterizedTest
    @EnumSource(value = FileBackend.class, names = {"AIO", "URING", "THREADS"})
    void shouldRefuseASegmentWhoseArenaIsClosedBeforeTheKernelSeesIt(FileBackend backend) throws Exception {
        try (EventLoop loop = start(backend);
             AsyncFile file = AsyncFile.open(loop, patterned(1 << 16))) {
            Arena arena = Arena.ofShared();
            MemorySegment buffer = arena.allocate(1 << 16, 4096);
            arena.close();
            Throwable refused = failure(file.read(buffer, 0));
            assertInstanceOf(IllegalStateException.class, refused);
            assertEquals("Already closed", refused.getMessage());
            ByteBuffer view;
            try (Arena viewed = Arena.ofShared()) {
                view = viewed.allocate(4096).asByteBuffer();
            }
            assertInstanceOf(IllegalStateException.class, failure(file.read(view, 0)));
            assertInstanceOf(IllegalStateException.class, failure(file.read(new MemorySegment[] {buffer}, 0)));
        }
    }

    @ParameterizedTest
    @EnumSource(value = FileBackend.class, names = {"AIO", "URING", "THREADS"})
    void shouldRefuseSegmentsOfAConfinedArena(FileBackend backend) throws Exception {
        try (EventLoop loop = start(backend);
             AsyncFile file = AsyncFile.open(loop, patterned(4096));
             Arena confined = Arena.ofConfined()) {
            Throwable refused = failure(file.read(confined.allocate(4096, 4096), 0));
            assertInstanceOf(IllegalStateException.class, refused);
            assertTrue(refused.getMessage().startsWith("Confined session not supported"), refused.getMessage());
        }
    }

    /**
     * Arenas closed while their reads are in flight, each followed at once by a fresh allocation of
     * the same size: the kernel must never write into the fresh memory, whichever way each read ends.
     */
    @ParameterizedTest
    @EnumSource(value = FileBackend.class, names = {"AIO", "URING", "THREADS"})
    void shouldNeverWriteIntoMemoryAllocatedAfterTheArenaOfAReadInFlightClosed(FileBackend backend)
            throws Exception {
        int size = 1 << 20;
        try (EventLoop loop = start(backend);
             AsyncFile file = AsyncFile.open(loop, patterned(size), FileOption.READ)) {
            List<MemorySegment> fresh = new ArrayList<>();
            List<Arena> freshArenas = new ArrayList<>();
            int completed = 0;
            for (int round = 0; round < 200; round++) {
                Arena arena = Arena.ofShared();
                CompletableFuture<Integer> read = file.read(arena.allocate(size, 4096), 0);
                arena.close();
                Arena next = Arena.ofShared();
                MemorySegment canary = next.allocate(size, 4096).fill((byte) 0x55);
                fresh.add(canary);
                freshArenas.add(next);
                try {
                    assertEquals(size, read.get(TIMEOUT_S, TimeUnit.SECONDS));
                    completed++;
                } catch (ExecutionException e) {
                    assertInstanceOf(IllegalStateException.class, e.getCause());
                }
            }
            for (MemorySegment canary : fresh) {
                for (long i = 0; i < size; i += 512) {
                    assertEquals((byte) 0x55, canary.get(JAVA_BYTE, i), "a read wrote into memory allocated after its arena closed");
                }
            }
            freshArenas.forEach(Arena::close);
            assertTrue(completed >= 0); // either outcome is correct; the canaries are the assertion
        }
    }

    @ParameterizedTest
    @EnumSource(value = FileBackend.class, names = {"AIO", "URING", "THREADS"})
    void shouldReadIntoASharedArenaThroughTheLoopsOwnBufferAndAdvanceItsByteBuffer(FileBackend backend)
            throws Exception {
        Path path = patterned(3 * 4096);
        byte[] expected = Files.readAllBytes(path);
        try (EventLoop loop = start(backend);
             AsyncFile file = AsyncFile.open(loop, path, FileOption.READ, FileOption.WRITE);
             Arena arena = Arena.ofShared()) {
            MemorySegment segment = arena.allocate(4096, 4096);
            assertEquals(4096, file.read(segment, 4096).get(TIMEOUT_S, TimeUnit.SECONDS));
            for (int i = 0; i < 4096; i++) {
                assertEquals(expected[4096 + i], segment.get(JAVA_BYTE, i));
            }
            ByteBuffer view = arena.allocate(8192).asByteBuffer();
            view.position(100);
            assertEquals(8092, file.read(view, 0).get(TIMEOUT_S, TimeUnit.SECONDS));
            assertEquals(8192, view.position());
            MemorySegment[] vector = {arena.allocate(4096), Arena.ofAuto().allocate(4096)};
            assertEquals(8192, file.read(vector, 4096).get(TIMEOUT_S, TimeUnit.SECONDS));
            assertEquals(expected[8192], vector[1].get(JAVA_BYTE, 0));
            segment.fill((byte) 9);
            assertEquals(4096, file.write(segment, 0).get(TIMEOUT_S, TimeUnit.SECONDS));
            assertEquals(9, Files.readAllBytes(path)[4095]);
        }
    }

    @ParameterizedTest
    @EnumSource(value = FileBackend.class, names = {"AIO", "URING", "THREADS"})
    void shouldRefuseFilesWhoseRequestsCouldWaitForeverWithoutBlockingTheOpen(FileBackend backend)
            throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        try (EventLoop loop = start(backend)) {
            FileSystemException refused = assertThrows(FileSystemException.class, () -> AsyncFile.open(loop, fifo));
            assertTrue(refused.getMessage().contains("is a FIFO"), refused.getMessage());
            // no reader: a blocking open would wait for one; fdloop's never does
            refused = assertThrows(FileSystemException.class, () -> AsyncFile.open(loop, fifo, FileOption.WRITE));
            assertTrue(refused.getMessage().contains("is a FIFO"), refused.getMessage());
            refused = assertThrows(FileSystemException.class, () -> AsyncFile.open(loop, dir));
            assertTrue(refused.getMessage().contains("is a directory"), refused.getMessage());
            Path terminalMaster = Path.of("/dev/ptmx");
            if (Files.exists(terminalMaster)) {
                refused = assertThrows(FileSystemException.class,
                        () -> AsyncFile.open(loop, terminalMaster, FileOption.READ, FileOption.WRITE));
                assertTrue(refused.getMessage().contains("is a character device"), refused.getMessage());
            }
            try (AsyncFile zero = AsyncFile.open(loop, Path.of("/dev/zero"))) {
                assertEquals(4096, zero.read(Arena.ofAuto().allocate(4096), 0).get(TIMEOUT_S, TimeUnit.SECONDS));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = FileBackend.class, names = {"AIO", "URING", "THREADS"})
    void shouldGiveTheSameErrorsOnEveryBackend(FileBackend backend) throws Exception {
        try (EventLoop loop = start(backend)) {
            try (AsyncFile full = AsyncFile.open(loop, Path.of("/dev/full"), FileOption.READ, FileOption.WRITE)) {
                MemorySegment buffer = Arena.ofAuto().allocate(4096);
                Throwable noSpace = failure(full.write(buffer, 0));
                assertTrue(noSpace.getMessage().contains("ENOSPC"), noSpace.getMessage());
                assertEquals(4096, full.read(buffer, 0).get(TIMEOUT_S, TimeUnit.SECONDS));
            }
            try (AsyncFile status = AsyncFile.open(loop, Path.of("/proc/self/status"))) {
                MemorySegment buffer = Arena.ofAuto().allocate(4096);
                int read = status.read(buffer, 0).get(TIMEOUT_S, TimeUnit.SECONDS);
                assertTrue(read > 0 && new String(buffer.asSlice(0, read).toArray(JAVA_BYTE)).startsWith("Name:"));
            }
        }
    }

    @Test
    void shouldRefuseAPathOfAnotherFileSystem() throws Exception {
        Path zip = dir.resolve("archive.zip");
        try (FileSystem zipfs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("create", "true"));
             EventLoop loop = EventLoop.builder().daemon(true).start()) {
            Path inside = zipfs.getPath("/" + dir.resolve("same-name").toString());
            Files.createDirectories(inside.getParent());
            Files.writeString(inside, "in the zip");
            Files.writeString(dir.resolve("same-name"), "on the disk");
            ProviderMismatchException refused = assertThrows(ProviderMismatchException.class,
                    () -> AsyncFile.open(loop, inside));
            assertTrue(refused.getMessage().contains("default file system"), refused.getMessage());
            assertThrows(ProviderMismatchException.class, () -> FdloopFileChannel.open(loop, inside, java.util.Set.of()));
        }
    }

    /** A handler that retries at once whenever it fails: no recursion, and the loop keeps serving timers. */
    @ParameterizedTest
    @EnumSource(value = FileBackend.class, names = {"AIO", "URING", "THREADS"})
    void shouldDeliverArgumentFailuresFromTheLoopSoThatRetryingHandlersNeitherRecurseNorStarveTimers(
            FileBackend backend) throws Exception {
        try (EventLoop loop = start(backend);
             AsyncFile file = AsyncFile.open(loop, patterned(4096))) {
            MemorySegment buffer = Arena.ofAuto().allocate(4096);
            int retries = 50_000;
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger deepest = new AtomicInteger();
            CompletableFuture<Void> retried = new CompletableFuture<>();
            CompletableFuture<Void> timerFired = new CompletableFuture<>();
            IoHandler<Void> retrying = new IoHandler<>() {
                @Override
                public void completed(int result, Void unused) {
                    retried.completeExceptionally(new AssertionError("a read at position -1 succeeded"));
                }

                @Override
                public void failed(Throwable error, Void unused) {
                    deepest.accumulateAndGet(new Throwable().getStackTrace().length, Math::max);
                    if (failures.incrementAndGet() < retries) {
                        file.read(buffer, -1, null, this);
                    } else {
                        retried.complete(null);
                    }
                }
            };
            AtomicReference<Throwable> thrownOut = new AtomicReference<>();
            loop.execute(() -> {
                loop.schedule(java.time.Duration.ofMillis(100), () -> timerFired.complete(null));
                try {
                    file.read(buffer, -1, null, retrying);
                    file.read(buffer, -1, null, new IoHandler<Void>() {
                        @Override
                        public void completed(int result, Void unused) {
                        }

                        @Override
                        public void failed(Throwable error, Void unused) {
                            throw new IllegalStateException("a handler that throws");
                        }
                    });
                } catch (Throwable t) {
                    thrownOut.set(t);
                }
            });
            timerFired.get(TIMEOUT_S, TimeUnit.SECONDS);
            retried.get(TIMEOUT_S, TimeUnit.SECONDS);
            assertNull(thrownOut.get(), "read() threw what its handler threw");
            assertEquals(retries, failures.get());
            assertTrue(deepest.get() < 200, "failures were delivered by recursion: a stack " + deepest.get() + " deep");
        }
    }

    /** On a closed loop failures come on the calling thread: through a trampoline, never by recursion. */
    @Test
    void shouldFailOperationsOfAClosedLoopWithoutRecursionOrThrowing() throws Exception {
        EventLoop loop = EventLoop.builder().daemon(true).start();
        AsyncFile file = AsyncFile.open(loop, patterned(4096));
        loop.close();
        MemorySegment buffer = Arena.ofAuto().allocate(4096);
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger deepest = new AtomicInteger();
        file.read(buffer, 0, null, new IoHandler<Void>() {
            @Override
            public void completed(int result, Void unused) {
            }

            @Override
            public void failed(Throwable error, Void unused) {
                deepest.accumulateAndGet(new Throwable().getStackTrace().length, Math::max);
                int failed = failures.incrementAndGet();
                if (failed < 20_000) {
                    file.read(buffer, 0, null, this);
                }
                if (failed == 1) {
                    throw new IllegalStateException("and throws, too");
                }
            }
        });
        assertEquals(20_000, failures.get());
        assertTrue(deepest.get() < 200, "a stack " + deepest.get() + " deep");
        assertFalse(file.isOpen());
    }
}
