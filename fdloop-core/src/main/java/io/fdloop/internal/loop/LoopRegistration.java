package io.fdloop.internal.loop;

import io.fdloop.FdHandler;
import io.fdloop.Interest;
import io.fdloop.Registration;

import java.io.IOException;
import java.util.Objects;

/**
 * A user's fd in one loop's epoll set, found again through its token in {@code epoll_event.data}.
 *
 * <p><b>Thread-safe</b>: every public method may be called from any thread; dispatch is the loop's.
 */
final class LoopRegistration implements Registration {
    private final Reactor reactor;
    private final int fd;
    private final FdHandler handler;
    final long token;
    private volatile Interest interest;
    private volatile boolean cancelled;

    LoopRegistration(Reactor reactor, int fd, Interest interest, FdHandler handler, long token) {
        this.reactor = reactor;
        this.fd = fd;
        this.interest = interest;
        this.handler = handler;
        this.token = token;
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public Interest interest() {
        return interest;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void modify(Interest newInterest) throws IOException {
        Objects.requireNonNull(newInterest, "interest");
        if (cancelled) {
            throw new IllegalStateException("registration of fd " + fd + " was cancelled");
        }
        reactor.modify(this, newInterest);
        interest = newInterest;
    }

    @Override
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            reactor.deregister(this);
        }
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
