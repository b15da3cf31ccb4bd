package io.fdloop.internal.loop;

/**
 * Something that completes work asynchronously and signals an eventfd in the loop's epoll set:
 * a file backend. The loop drives it through the steps of one iteration.
 *
 * <p><b>Loop thread only</b>, except {@link #eventFd()}.
 */
public interface CompletionSource {

    /** A short name for observers: {@code "aio"}, {@code "threads"}. */
    String name();

    /** The eventfd the loop watches for EPOLLIN. */
    int eventFd();

    /** Step 2: sends everything queued since the last flush in one call; returns how many went out. */
    int flush();

    /**
     * Whether work is still queued that could not be sent for a reason no completion will clear
     * (the kernel said EAGAIN with nothing in flight): the loop then retries soon instead of
     * sleeping until an event.
     */
    boolean stalled();

    /** Step 3: whether completions can be reaped right now without a system call. */
    boolean hasVisibleCompletions();

    /**
     * Step 5: the eventfd was readable, or {@link #hasVisibleCompletions()} said so: reads the
     * eventfd, reaps and dispatches. Returns how many completions were dispatched.
     */
    int reap();

    /** What the last {@link #reap()} read from the eventfd (0 when it was not signalled). */
    long lastSignalCount();

    /** Whether anything is queued or in flight: a closing loop waits until this is false. */
    boolean busy();

    /** Releases everything; called once, when {@link #busy()} is false or the loop gives up waiting. */
    void close();
}
