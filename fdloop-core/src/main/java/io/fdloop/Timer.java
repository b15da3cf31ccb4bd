package io.fdloop;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A task scheduled on an {@link EventLoop}, once or at a fixed rate; it runs on the loop thread.
 *
 * <p><b>Thread-safe</b>: {@link #cancel()} may be called from any thread.
 */
public final class Timer {
    private final Reactor reactor;
    final Runnable task;
    final long periodNs;
    long deadlineNs; // loop-owned: CLOCK_MONOTONIC nanoseconds
    long sequence; // loop-owned: ties between equal deadlines go to the earlier schedule
    int heapIndex = -1; // loop-owned: position in TimerQueue, -1 when not queued
    private static final int SCHEDULED = 0, FIRED = 1, CANCELLED = 2;
    // SCHEDULED -> FIRED (a one-shot timer about to run) or -> CANCELLED; a periodic timer stays SCHEDULED.
    private final AtomicInteger state = new AtomicInteger(SCHEDULED);

    Timer(Reactor reactor, Runnable task, long deadlineNs, long periodNs) {
        this.reactor = reactor;
        this.task = task;
        this.deadlineNs = deadlineNs;
        this.periodNs = periodNs;
    }

    /**
     * Stops the timer: a run that has not begun will not happen. Returns false when it was already
     * cancelled or, for a one-shot timer, already ran (or is running), as {@code Future.cancel} does.
     */
    public boolean cancel() {
        if (!state.compareAndSet(SCHEDULED, CANCELLED)) {
            return false;
        }
        reactor.removeTimer(this);
        return true;
    }

    public boolean isCancelled() {
        return state.get() == CANCELLED;
    }

    /** Whether the timer repeats. */
    public boolean isPeriodic() {
        return periodNs > 0;
    }

    /** Loop thread, before a run: false when the timer was cancelled and must not run. */
    boolean claimRun() {
        return isPeriodic() ? state.get() == SCHEDULED : state.compareAndSet(SCHEDULED, FIRED);
    }

    void markCancelled() {
        state.compareAndSet(SCHEDULED, CANCELLED);
    }
}
