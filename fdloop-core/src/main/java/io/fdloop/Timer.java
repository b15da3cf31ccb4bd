package io.fdloop;

/**
 * A task scheduled on an {@link EventLoop}, once or at a fixed rate; it runs on the loop thread.
 *
 * <p><b>Thread-safe</b>: every method may be called from any thread.
 */
public interface Timer {

    /**
     * Stops the timer: a run that has not begun will not happen. Returns false when it was already
     * cancelled or, for a one-shot timer, already ran (or is running), as {@code Future.cancel} does.
     * Any thread.
     *
     * @return whether this call stopped the timer
     */
    boolean cancel();

    /**
     * Whether the timer was cancelled, by {@link #cancel()} or by its loop's close. Any thread.
     *
     * @return true once cancelled
     */
    boolean isCancelled();

    /**
     * Whether the timer repeats. Any thread.
     *
     * @return true for a timer made by {@link EventLoop#scheduleAtFixedRate}
     */
    boolean isPeriodic();
}
