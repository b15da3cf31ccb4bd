package io.fdloop.cli.bench;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * When one run measures, and the stop signal its slots share.
 *
 * <p><b>Thread-safe.</b> Slots ask {@link #keepGoing} after each completion and call
 * {@link #slotStopped()} once when they stop with nothing in flight; the controlling thread
 * waits on {@link #awaitStopped}.
 *
 * <p>A request counts when it completes within {@code [fromNs, untilNs)}. A time-based run stops
 * issuing at {@code untilNs}; a run of {@code --ops N} gives each slot its share of N after the
 * warm-up (so no counter is shared between threads), and {@code untilNs} is then unbounded.
 */
public final class Window {
    private final long fromNs;
    private final long untilNs;
    private final long ops;
    private final int slots;
    private final CountDownLatch stopped;
    private volatile Throwable failure;

    public Window(Job job, long startNs) {
        this.fromNs = startNs + job.warmupNs();
        this.untilNs = job.timeBased() ? fromNs + job.runtimeNs() : Long.MAX_VALUE;
        this.ops = job.ops();
        this.slots = job.queueDepth();
        this.stopped = new CountDownLatch(slots);
    }

    public long fromNs() {
        return fromNs;
    }

    /** The end of a time-based run; {@link Long#MAX_VALUE} for a run of a number of requests. */
    public long untilNs() {
        return untilNs;
    }

    /** Whether a request completing at {@code nowNs} counts. */
    public boolean counts(long nowNs) {
        return nowNs >= fromNs && nowNs < untilNs;
    }

    /** Whether {@code slot}, having {@code measured} counted requests, issues another at {@code nowNs}. */
    public boolean keepGoing(int slot, long measured, long nowNs) {
        return nowNs < untilNs && (ops == 0 || measured < quota(slot)) && failure == null;
    }

    /**
     * Settles one completion of {@code slot} at {@code nowNs}: checks it, counts it when it falls in
     * the window, and says whether the slot issues another request. When it does not, the slot is
     * stopped, and a failed check becomes the run's failure.
     */
    boolean settle(Slot slot, long bytes, Job job, long nowNs) {
        IOException problem = slot.problem(bytes, job.blockSize(), job.verify());
        if (problem != null) {
            fail(problem);
            slotStopped();
            return false;
        }
        if (counts(nowNs)) {
            slot.record(nowNs);
        }
        if (keepGoing(slot.index, slot.measured, nowNs)) {
            return true;
        }
        slotStopped();
        return false;
    }

    /** {@code slot}'s share of {@code --ops}. */
    long quota(int slot) {
        return ops / slots + (slot < ops % slots ? 1 : 0);
    }

    /** Stops every slot after its request in flight; the first failure is the run's. */
    public void fail(Throwable error) {
        synchronized (this) {
            if (failure == null) {
                failure = error;
            }
        }
    }

    public Throwable failure() {
        return failure;
    }

    /** A slot stopped and has nothing in flight. Once per slot. */
    public void slotStopped() {
        stopped.countDown();
    }

    /** Waits up to {@code timeoutNs} for every slot to stop; true when they all did. */
    public boolean awaitStopped(long timeoutNs) throws InterruptedException {
        return stopped.await(Math.max(0, timeoutNs), TimeUnit.NANOSECONDS);
    }

    public boolean allStopped() {
        return stopped.getCount() == 0;
    }
}
