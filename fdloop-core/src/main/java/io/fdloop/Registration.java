package io.fdloop;

import java.io.IOException;
import java.util.Objects;

/**
 * An fd registered with an {@link EventLoop}: its interest can be changed and it can be cancelled.
 * Cancelling does not close the fd, which stays the caller's.
 *
 * <p><b>Thread-safe</b>: every method may be called from any thread.
 */
public final class Registration implements AutoCloseable {
    /** The fd is readable (EPOLLIN). */
    public static final int READABLE = 0x001;
    /** The fd is writable (EPOLLOUT). */
    public static final int WRITABLE = 0x004;
    /** An error is pending on the fd (EPOLLERR). */
    public static final int ERROR = 0x008;
    /** The peer hung up (EPOLLHUP or EPOLLRDHUP). */
    public static final int HANGUP = 0x010;

    private final Reactor reactor;
    private final int fd;
    private final FdHandler handler;
    final long token;
    private volatile Interest interest;
    private volatile boolean cancelled;

    Registration(Reactor reactor, int fd, Interest interest, FdHandler handler, long token) {
        this.reactor = reactor;
        this.fd = fd;
        this.interest = interest;
        this.handler = handler;
        this.token = token;
    }

    public int fd() {
        return fd;
    }

    public Interest interest() {
        return interest;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Changes what the registration waits for. */
    public void modify(Interest newInterest) throws IOException {
        Objects.requireNonNull(newInterest, "interest");
        if (cancelled) {
            throw new IllegalStateException("registration of fd " + fd + " was cancelled");
        }
        reactor.modify(this, newInterest);
        interest = newInterest;
    }

    /** Removes the fd from the loop; its handler is not called again. Idempotent. */
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            reactor.deregister(this);
        }
    }

    /** Same as {@link #cancel()}. */
    @Override
    public void close() {
        cancel();
    }

    void dispatch(int readyOps) {
        if (!cancelled) {
            handler.ready(this, readyOps);
        }
    }

    void markCancelled() {
        cancelled = true;
    }

    @Override
    public String toString() {
        return "Registration[fd=" + fd + ", " + interest + (cancelled ? ", cancelled]" : "]");
    }
}
