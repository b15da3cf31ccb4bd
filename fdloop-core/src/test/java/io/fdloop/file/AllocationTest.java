package io.fdloop.file;

import io.fdloop.EventLoop;
import io.fdloop.file.FileBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The callback form on Linux AIO and io_uring allocates nothing per operation in steady state: submit, reap
 * and dispatch reuse their slots, iocbs and handlers. Measured on the loop thread with the JVM's
 * per-thread allocation counter (bytes, not time). A one-off (a method handle linked for the
 * first time, say) can land in any one window, so the quietest of several windows is the steady state.
 *
 * <p>Zero depends on the JIT inlining the downcalls (a capture-state downcall slices its segment, which
 * escape analysis removes once inlined). The build runs each test class in its own JVM, so the
 * syscall stand-ins of other tests do not make those call sites megamorphic here as they never are in
 * an application, where {@code Syscalls} has one implementation.
 */
class AllocationTest {
    private static final int DEPTH = 32;
    private static final long WARM_UP = 200_000, WINDOW = 100_000, WINDOWS = 5;

    /** Memory the kernel uses directly (an automatic arena's) and memory it is handed a copy of (a shared arena's). */
    static Stream<Arguments> backendsAndArenas() {
        return Stream.of(FileBackend.AIO, FileBackend.URING)
                .flatMap(backend -> Stream.of(Arguments.of(backend, "auto"), Arguments.of(backend, "shared")));
    }

    @ParameterizedTest(name = "{0}, {1} arena")
    @MethodSource("backendsAndArenas")
    void shouldAllocateNothingPerOperationOnTheCallbackPath(FileBackend backend, String arenaKind) throws Exception {
        assumeTrue(backend.isAvailable(), () -> backend + " is unavailable here: " + backend.unavailabilityCause());
        try (EventLoop loop = EventLoop.builder().name("alloc").daemon(true)
                .with(FileSettings.defaults().withBackend(backend).withQueueDepth(DEPTH)).start();
             Arena shared = Arena.ofShared();
             AsyncFile zero = AsyncFile.open(loop, Path.of("/dev/zero"))) {
            Arena arena = arenaKind.equals("auto") ? Arena.ofAuto() : shared;
            CompletableFuture<Long> quietestWindow = new CompletableFuture<>();
            IoHandler<MemorySegment> reader = new IoHandler<>() {
                private long done;
                private long windowStart;
                private long quietest = Long.MAX_VALUE;
                private int outstanding = DEPTH;

                @Override
                public void completed(int result, MemorySegment buffer) {
                    done++;
                    if (done >= WARM_UP && (done - WARM_UP) % WINDOW == 0) {
                        long now = allocatedBytes();
                        if (done > WARM_UP) {
                            quietest = Math.min(quietest, now - windowStart);
                        }
                        windowStart = now;
                    }
                    if (done < WARM_UP + WINDOW * WINDOWS) {
                        zero.read(buffer, 0, buffer, this);
                    } else if (--outstanding == 0) {
                        quietestWindow.complete(quietest);
                    }
                }

                @Override
                public void failed(Throwable error, MemorySegment buffer) {
                    quietestWindow.completeExceptionally(error);
                }
            };
            MemorySegment[] buffers = new MemorySegment[DEPTH];
            for (int i = 0; i < DEPTH; i++) {
                buffers[i] = arena.allocate(4096, 4096);
            }
            loop.execute(() -> {
                for (MemorySegment buffer : buffers) {
                    zero.read(buffer, 0, buffer, reader);
                }
            });
            long allocated = quietestWindow.get(120, TimeUnit.SECONDS);
            assertEquals(backend, zero.backend());
            double perOperation = (double) allocated / WINDOW;
            assertTrue(perOperation < 0.5, "the quietest window allocated " + allocated + " bytes in " + WINDOW
                    + " operations (" + perOperation + " per operation)");
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
