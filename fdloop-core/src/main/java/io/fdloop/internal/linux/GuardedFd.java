package io.fdloop.internal.linux;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file descriptor that other threads use while its owner may close it. fd numbers are reused
 * by the kernel at once, so the close waits until no call is using the number any more: each use
 * is bracketed by {@link #acquire()} and {@link #release()}, and the last one out closes it.
 *
 * <p><b>Thread-safe; lock-free.</b>
 */
public final class GuardedFd {
    private static final int CLOSED = 1 << 31;

    private final Syscalls syscalls;
    private final int fd;
    private final AtomicInteger state = new AtomicInteger(); // CLOSED bit | number of users

    public GuardedFd(Syscalls syscalls, int fd) {
        this.syscalls = syscalls;
        this.fd = fd;
    }

    public int fd() {
        return fd;
    }

    /** Marks one use; false when the fd is closed (or closing), and then it must not be used. */
    public boolean acquire() {
        while (true) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s + 1)) {
                return true;
            }
        }
    }

    public void release() {
        if (state.decrementAndGet() == CLOSED) {
            syscalls.close(fd);
        }
    }

    public boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /** Closes now, or as soon as the last user releases it. Idempotent. */
    public void close() {
        while (true) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                return;
            }
            if (state.compareAndSet(s, s | CLOSED)) {
                if (s == 0) {
                    syscalls.close(fd);
                }
                return;
            }
        }
    }
}
