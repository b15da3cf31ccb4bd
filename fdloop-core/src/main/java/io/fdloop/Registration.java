package io.fdloop;

import java.io.IOException;

/**
 * An fd registered with an {@link EventLoop}: its interest can be changed and it can be cancelled.
 * Cancelling does not close the fd, which stays the caller's.
 *
 * <p><b>Thread-safe</b>: every method may be called from any thread.
 */
public interface Registration extends AutoCloseable {
    /** The fd is readable (EPOLLIN). */
    int READABLE = 0x001;
    /** The fd is writable (EPOLLOUT). */
    int WRITABLE = 0x004;
    /** An error is pending on the fd (EPOLLERR). */
    int ERROR = 0x008;
    /** The peer hung up (EPOLLHUP or EPOLLRDHUP). */
    int HANGUP = 0x010;

    /**
     * The fd watched. Any thread.
     *
     * @return the fd number given to {@link EventLoop#register(int, Interest, FdHandler)}
     */
    int fd();

    /**
     * What the registration waits for now. Any thread.
     *
     * @return the interest last given
     */
    Interest interest();

    /**
     * Whether the registration was cancelled, by {@link #cancel()} or by its loop's close. Any thread.
     *
     * @return true once cancelled
     */
    boolean isCancelled();

    /**
     * Changes what the registration waits for. Any thread.
     *
     * @param interest the new interest
     * @throws IOException           when epoll refuses the change (the fd was closed)
     * @throws IllegalStateException when the registration was cancelled
     */
    void modify(Interest interest) throws IOException;

    /** Removes the fd from the loop; its handler is not called again. Idempotent. Any thread. */
    void cancel();

    /** Same as {@link #cancel()}. */
    @Override
    default void close() {
        cancel();
    }
}
