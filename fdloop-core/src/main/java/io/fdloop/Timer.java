package io.fdloop;

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
    private volatile boolean cancelled;

    Timer(Reactor reactor, Runnable task, long deadlineNs, long periodNs) {
        this.reactor = reactor;
        this.task = task;
        this.deadlineNs = deadlineNs;
        this.periodNs = periodNs;
    }

    /**
     * Stops the timer: a run that has not begun will not happen. On the loop thread, returns false
     * when it was already cancelled or, for a one-shot timer, already ran; from another thread the
     * removal happens on the loop, and the result is false only when it was already cancelled.
     */
    public boolean cancel() {
        if (cancelled) {
            return false;
        }
        cancelled = true;
        return reactor.cancelTimer(this);
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Whether the timer repeats. */
    public boolean isPeriodic() {
        return periodNs > 0;
    }

    void markCancelled() {
        cancelled = true;
    }
}
