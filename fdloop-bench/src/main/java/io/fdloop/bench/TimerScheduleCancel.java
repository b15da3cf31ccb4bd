package io.fdloop.bench;

import io.fdloop.EventLoop;
import io.fdloop.Timer;

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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * <b>Not thread-safe: JMH runs each benchmark on one thread, which owns its state.</b>
 *
 * <p>Measures scheduling a one-shot timer an hour ahead and cancelling it at once: the cost of a
 * timeout that is set and then not needed, the common case for I/O deadlines.
 *
 * <ul>
 *   <li>{@code fdloopOnLoopThread}: on the loop thread, where timeouts are set from handlers. The
 *       loop is {@linkplain EventLoop#open() opened} in {@code @Setup} by the benchmark thread, which
 *       is therefore its loop thread; schedule and cancel are a heap insert and a heap removal, with
 *       no task, lock or system call. The loop never runs: nothing here needs it.</li>
 *   <li>{@code fdloopCrossThread}: from another thread, on a {@linkplain EventLoop#start() started}
 *       loop. Schedule and cancel each hand a task to the loop (waking it when it sleeps); the time
 *       is the caller's, the loop's share runs on the other core.</li>
 *   <li>{@code jdkScheduledThreadPool}: the baseline, {@link ScheduledThreadPoolExecutor#schedule}
 *       and {@link ScheduledFuture#cancel} with {@code setRemoveOnCancelPolicy(true)}, so a
 *       cancelled task leaves the queue at once as fdloop's does. Its caller always runs on another
 *       thread than the pool's worker, so the fair comparison for it is {@code fdloopCrossThread};
 *       {@code fdloopOnLoopThread} shows what code living on the loop saves.</li>
 * </ul>
 *
 * <p>The queues hold nothing else, so each schedule makes a new earliest deadline: the pool then
 * signals its waiting worker, and fdloop's cross-thread schedule wakes its loop. Machine caveat:
 * the cross-thread rows need a second free core; with fewer the numbers measure the scheduler.
 *
 * <pre>{@code
 * java -jar fdloop-bench/target/benchmarks.jar TimerScheduleCancel -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TimerScheduleCancel {
    private static final long DELAY_S = 3600;
    private static final Runnable NOTHING = () -> { };

    /** A loop opened by the benchmark thread, which becomes its loop thread. */
    @State(Scope.Thread)
    public static class OwnLoop {
        EventLoop loop;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            loop = EventLoop.open();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            loop.close();
        }
    }

    /** A loop on a thread of its own. */
    @State(Scope.Thread)
    public static class StartedLoop {
        EventLoop loop;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            loop = EventLoop.builder().name("bench-loop").daemon(true).start();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            loop.close();
        }
    }

    /** A one-thread {@link ScheduledThreadPoolExecutor} that removes what is cancelled. */
    @State(Scope.Thread)
    public static class Pool {
        ScheduledThreadPoolExecutor executor;

        @Setup(Level.Trial)
        public void setUp() {
            executor = new ScheduledThreadPoolExecutor(1, runnable -> Thread.ofPlatform()
                    .name("bench-scheduler").daemon(true).unstarted(runnable));
            executor.setRemoveOnCancelPolicy(true);
            executor.prestartAllCoreThreads();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            executor.shutdownNow();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Benchmark
    public boolean fdloopOnLoopThread(OwnLoop state) {
        Timer timer = state.loop.schedule(DELAY_S, TimeUnit.SECONDS, NOTHING);
        return timer.cancel();
    }

    @Benchmark
    public boolean fdloopCrossThread(StartedLoop state) {
        Timer timer = state.loop.schedule(DELAY_S, TimeUnit.SECONDS, NOTHING);
        return timer.cancel();
    }

    @Benchmark
    public boolean jdkScheduledThreadPool(Pool state) {
        ScheduledFuture<?> future = state.executor.schedule(NOTHING, DELAY_S, TimeUnit.SECONDS);
        return future.cancel(false);
    }
}
