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

    /** The eventfd the loop watches for EPOLLIN, or -1 for a source whose fds are {@linkplain LoopHost#watch watched} one by one. */
    int eventFd();

    /** Step 2: sends everything queued since the last flush in one call; returns how many went out. */
    int flush();

    /**
     * Whether this source's flush queues work that other sources send (the sockets queue their sends
     * on the loop's ring): such a source flushes before every other, so that its work leaves in the
     * same iteration's system call.
     */
    default boolean flushesFirst() {
        return false;
    }

    /**
     * Whether work is still queued that could not be sent for a reason no completion will clear
     * (the kernel said EAGAIN with nothing in flight): the loop then retries soon instead of
     * sleeping until an event.
     */
    boolean stalled();

    /**
     * Whether work is waiting that the next {@link #flush()} will do (a read that stopped at its
     * per-iteration budget): the loop then polls epoll without sleeping, still serving every other fd.
     */
    default boolean hasPendingWork() {
        return false;
    }

    /** Step 3: whether completions can be reaped right now without a system call. */
    boolean hasVisibleCompletions();

    /**
     * Step 5: reaps and dispatches what completed; returns how many completions were dispatched.
     *
     * @param signalled true when epoll reported the eventfd readable: its counter is read (and so
     *                  reset) first; false when {@link #hasVisibleCompletions()} said so, and the
     *                  eventfd is left for epoll to report
     */
    int reap(boolean signalled);

    /** What the last {@link #reap} read from the eventfd (0 when it was not signalled). */
    long lastSignalCount();

    /** Whether anything is queued or in flight: a closing loop waits until this is false. */
    boolean busy();

    /** Releases everything; called once, when {@link #busy()} is false or the loop gives up waiting. */
    void close();
}
