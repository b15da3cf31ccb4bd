package io.fdloop.bench;

import io.fdloop.EventLoop;
import io.fdloop.file.FileBackend;
import io.fdloop.file.FileSettings;
import io.fdloop.file.AlignedBuffers;
import io.fdloop.file.AsyncFile;
import io.fdloop.file.FileOption;
import io.fdloop.file.IoHandler;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * <b>Not thread-safe: JMH runs each benchmark on one thread, which owns its state.</b>
 *
 * <p>Measures one 4 KiB read from {@code /dev/zero}, issued and its completion delivered, at queue
 * depth 1: the per-request software path of each file backend with no device in the way. The loop
 * is {@linkplain EventLoop#open() opened} in {@code @Setup} by the benchmark thread, so the
 * benchmark thread is the loop thread; each operation issues the read in the callback form (one
 * handler, no future) and calls {@link EventLoop#runOnce(Duration) runOnce(Duration.ZERO)} until
 * the handler has run.
 *
 * <ul>
 *   <li>{@code AIO}: Linux AIO on the buffered file, which the kernel completes inside
 *       {@code io_submit}; the loop then reaps the completion ring in user space.</li>
 *   <li>{@code URING}: io_uring, submitted with {@code io_uring_enter}, reaped from the CQ ring.</li>
 *   <li>{@code THREADS}: a worker thread does the {@code pread} and signals an eventfd; the loop
 *       thread polls ({@code epoll_wait} with a zero timeout) until it sees it, so this row includes
 *       a cross-thread hand-off each way and needs a second core.</li>
 * </ul>
 *
 * A backend this kernel or sandbox lacks ({@link FileBackend#isAvailable()} false) fails its
 * setup with the kernel's reason, and JMH reports that row as failed and goes on with the others.
 * The baseline is the JDK's synchronous {@link FileChannel#read(ByteBuffer, long)} into a direct
 * buffer: one {@code pread}, the floor any asynchronous path adds to. Queue depth 1 is the worst
 * case for an asynchronous interface (nothing to batch); {@code fdloop bench --qd 32} measures the
 * batched path. Run with {@code -prof gc}: the callback path should allocate 0 bytes per operation
 * (the figure counts every thread, the thread backend's workers too).
 *
 * <pre>{@code
 * java -jar fdloop-bench/target/benchmarks.jar SubmitReap -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SubmitReap {
    static final Path DEV_ZERO = Path.of("/dev/zero");
    static final int BLOCK = 4096;

    /** An opened loop with {@code /dev/zero} on the chosen backend; it is also the read's handler. */
    @State(Scope.Thread)
    public static class Loop implements IoHandler<Loop> {
        @Param({"AIO", "URING", "THREADS"})
        public FileBackend backend;

        EventLoop loop;
        AsyncFile file;
        MemorySegment buffer;
        boolean done; // loop thread (= benchmark thread) only
        int result;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            String unavailable = backend.unavailabilityCause();
            if (unavailable != null) {
                throw new IllegalStateException(backend + " is not available here: " + unavailable);
            }
            loop = EventLoop.builder().name("bench-loop").with(FileSettings.defaults().withBackend(backend)).build();
            file = AsyncFile.open(loop, DEV_ZERO, FileOption.READ);
            buffer = AlignedBuffers.allocate(BLOCK, AlignedBuffers.SAFE_ALIGNMENT); // used by the kernel directly
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            loop.close(); // closes the file once nothing is in flight
        }

        @Override
        public void completed(int bytes, Loop self) {
            self.result = bytes;
            self.done = true;
        }

        @Override
        public void failed(Throwable error, Loop self) {
            throw new IllegalStateException("read from /dev/zero failed", error);
        }
    }

    /** {@code /dev/zero} through a {@link FileChannel}, into a direct buffer. */
    @State(Scope.Thread)
    public static class Channel {
        FileChannel channel;
        ByteBuffer buffer;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            channel = FileChannel.open(DEV_ZERO, StandardOpenOption.READ);
            buffer = ByteBuffer.allocateDirect(BLOCK);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            channel.close();
        }
    }

    @Benchmark
    public int fdloop(Loop state) throws IOException {
        state.done = false;
        state.file.read(state.buffer, 0, state, state);
        while (!state.done) {
            state.loop.runOnce(Duration.ZERO);
        }
        return state.result;
    }

    @Benchmark
    public int jdkFileChannel(Channel state) throws IOException {
        state.buffer.clear();
        return state.channel.read(state.buffer, 0);
    }
}
