package io.fdloop.bench;

import io.fdloop.EventLoop;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;

/**
 * <b>Not thread-safe: JMH runs each benchmark on one thread, which owns its state.</b>
 *
 * <p>Measures one cross-thread round trip: the benchmark thread hands a task to a loop that is
 * asleep on another thread, the task runs there and signals back, and the benchmark thread sees
 * the signal. For fdloop that is {@link EventLoop#execute} on a {@linkplain EventLoop#start()
 * started} loop, asleep in {@code epoll_wait}: the task queue, the wake eventfd, the loop's wake-up
 * and dispatch. The baseline is the JDK's own way to wake a thread blocked in {@code epoll_wait}:
 * {@link Selector#wakeup()} to a thread sleeping in {@link Selector#select()}, which on return
 * answers the request (both write an eventfd on Linux).
 *
 * <p>The benchmark thread spins ({@link Thread#onSpinWait()}) for the answer, so the measured time
 * is the wake-up of the sleeping thread and the hand-off, not a second wake-up of the caller. Both
 * sides then need a core each: on a machine with fewer than two free cores the numbers measure the
 * scheduler. Allocation under {@code -prof gc} counts every thread, so it includes the loop's
 * (fdloop's task queue allocates a node per {@code execute}).
 *
 * <pre>{@code
 * java -jar fdloop-bench/target/benchmarks.jar ExecuteRoundTrip -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ExecuteRoundTrip {

    /** A started fdloop loop and the one task every round trip hands it. */
    @State(Scope.Thread)
    public static class Loop {
        EventLoop loop;
        Runnable answer;
        long sent; // benchmark thread only
        volatile long answered; // written by the loop thread only

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            loop = EventLoop.builder().name("bench-loop").daemon(true).start();
            // One task object for every round trip: the benchmark measures the hand-off, not a lambda.
            answer = () -> answered = answered + 1;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            loop.close();
        }
    }

    /** A thread blocked in {@code Selector.select()} that answers each wake-up. */
    @State(Scope.Thread)
    public static class SelectorThread {
        Selector selector;
        Thread thread;
        long sent; // benchmark thread only
        volatile long requested; // written by the benchmark thread only
        volatile long answered; // written by the selector thread only
        volatile boolean stopping;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            selector = Selector.open();
            thread = Thread.ofPlatform().name("bench-selector").daemon(true).start(this::selectLoop);
        }

        private void selectLoop() {
            try {
                while (!stopping) {
                    selector.select();
                    long request = requested;
                    if (request != answered) {
                        answered = request;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException, InterruptedException {
            stopping = true;
            selector.wakeup();
            thread.join();
            selector.close();
        }
    }

    @Benchmark
    public long fdloopExecute(Loop state) {
        long target = ++state.sent;
        state.loop.execute(state.answer);
        while (state.answered != target) {
            Thread.onSpinWait();
        }
        return target;
    }

    @Benchmark
    public long jdkSelectorWakeup(SelectorThread state) {
        long target = ++state.sent;
        // Published before the wake-up: the select() that returns because of it sees the request.
        state.requested = target;
        state.selector.wakeup();
        while (state.answered != target) {
            Thread.onSpinWait();
        }
        return target;
    }
}
