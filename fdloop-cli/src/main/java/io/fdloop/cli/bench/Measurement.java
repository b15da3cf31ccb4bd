package io.fdloop.cli.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link JvmEngine} for one job and measures it from the outside: the window's two
 * {@link Sample}s give CPU, context switches, busy threads and allocation; the slots give the
 * requests and their latencies.
 *
 * <p><b>Not thread-safe</b>: used once, by the controlling thread, which sleeps through the
 * window (waking five times a second only to redraw a progress bar on a terminal).
 */
final class Measurement {
    private static final long TICK_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long DRAIN_NS = TimeUnit.SECONDS.toNanos(60);

    private final JvmEngine engine;
    private final Job job;
    private final Progress progress;

    Measurement(JvmEngine engine, Job job, Progress progress) {
        this.engine = engine;
        this.job = job;
        this.progress = progress;
    }

    Result run() throws Exception {
        long startNs = System.nanoTime();
        Window window = new Window(job, startNs);
        Slots slots = new Slots(job);
        JvmEngine.Execution execution;
        execution = engine.start(job, window, slots.array());
        boolean drained = false;
        progress.begin(label(engine.name(), job));
        try {
            await(window, window.fromNs(), startNs, slots.array());
            long[] engineThreads = execution.allocationThreads();
            Sample first = Sample.start(engineThreads);
            await(window, window.untilNs(), startNs, slots.array());
            Sample last = Sample.end(engineThreads);
            drained = window.awaitStopped(DRAIN_NS);
            if (!drained) {
                throw new IOException(engine.name() + " still had requests in flight "
                        + TimeUnit.NANOSECONDS.toSeconds(DRAIN_NS) + " s after the end of the run");
            }
            if (window.failure() != null) {
                throw failure(window.failure());
            }
            return result(window, first, last, slots.array());
        } finally {
            progress.end();
            if (drained) {
                execution.close();
            } // else the kernel may still write into the buffers: leave them (and the engine's threads) be
        }
    }

    /** Sleeps until {@code deadlineNs}, or until every slot stopped (the end of a run of --ops, or a failure). */
    private void await(Window window, long deadlineNs, long startNs, Slot[] slots) throws InterruptedException {
        while (true) {
            long now = System.nanoTime();
            if (now >= deadlineNs || window.failure() != null) {
                return;
            }
            long sleep = progress.animated() ? Math.min(TICK_NS, deadlineNs - now) : deadlineNs - now;
            if (window.awaitStopped(sleep)) {
                return;
            }
            draw(window, startNs, slots);
        }
    }

    private void draw(Window window, long startNs, Slot[] slots) {
        if (!progress.animated()) {
            return;
        }
        long now = System.nanoTime();
        long measured = 0;
        for (Slot slot : slots) {
            measured += slot.measured; // racy read of another thread's counter: good enough to draw a bar
        }
        double warmup = Math.min(1, (double) (now - startNs) / Math.max(1, window.fromNs() - startNs));
        double fraction;
        if (job.timeBased()) {
            fraction = (double) (now - startNs) / Math.max(1, job.warmupNs() + job.runtimeNs());
        } else {
            // the warm-up takes the first tenth of the bar when it is there, the requests the rest
            double share = job.warmupNs() > 0 ? 0.1 : 0;
            fraction = share * warmup + (1 - share) * measured / job.ops();
        }
        String detail = now < window.fromNs() ? "warming up"
                : String.format(Locale.ROOT, "%,.0f IOPS", measured / Math.max(1e-9, (now - window.fromNs()) / 1e9));
        progress.update(fraction, detail);
    }

    private Result result(Window window, Sample first, Sample last, Slot[] slots) {
        Histogram latencies = new Histogram(Slot.MAX_LATENCY_NS, 3);
        long operations = 0;
        for (Slot slot : slots) {
            latencies.add(slot.latencies);
            operations += slot.measured;
        }
        long endNs = job.timeBased() ? window.untilNs() : last.nanoTime();
        double seconds = (endNs - window.fromNs()) / 1e9;
        return new Result(engine.name(), job, operations, seconds, last.usage().cpuUs() - first.usage().cpuUs(),
                last.usage().contextSwitches() - first.usage().contextSwitches(), last.busyThreadsSince(first),
                last.allocatedSince(first), latency(latencies), null);
    }

    static Result.Latency latency(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new Result.Latency(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Result.Latency(h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0);
    }

    static String label(String engine, Job job) {
        return String.format(Locale.ROOT, "%-18s %s %s qd %d", engine, job.rw(), Units.bytes(job.blockSize()),
                job.queueDepth());
    }

    private static Exception failure(Throwable cause) {
        if (cause instanceof Exception e) {
            return e;
        }
        return new IOException(cause);
    }
}
