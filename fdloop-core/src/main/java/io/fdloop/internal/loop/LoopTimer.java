package io.fdloop.internal.loop;

import io.fdloop.Timer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Timer} of one loop, and its place in the loop's {@link TimerQueue}.
 *
 * <p><b>Thread-safe</b>: {@link #cancel()} from any thread; the queue fields belong to the loop thread.
 */
final class LoopTimer implements Timer {
    private final Reactor reactor;
    final Runnable task;
    final long periodNs;
    long deadlineNs; // loop-owned: CLOCK_MONOTONIC nanoseconds
    long sequence; // loop-owned: ties between equal deadlines go to the earlier schedule
    int heapIndex = -1; // loop-owned: position in TimerQueue, -1 when not queued
    private static final int SCHEDULED = 0, FIRED = 1, CANCELLED = 2;
    // SCHEDULED -> FIRED (a one-shot timer about to run) or -> CANCELLED; a periodic timer stays SCHEDULED.
    private final AtomicInteger state = new AtomicInteger(SCHEDULED);

    LoopTimer(Reactor reactor, Runnable task, long deadlineNs, long periodNs) {
        this.reactor = reactor;
        this.task = task;
        this.deadlineNs = deadlineNs;
        this.periodNs = periodNs;
    }

    @Override
    public boolean cancel() {
        if (!state.compareAndSet(SCHEDULED, CANCELLED)) {
            return false;
        }
        reactor.removeTimer(this);
        return true;
    }

    @Override
    public boolean isCancelled() {
        return state.get() == CANCELLED;
    }

    @Override
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
