package io.fdloop.internal.linux;

import java.io.IOException;
import java.lang.foreign.Arena;

/**
 * An epoll instance: {@code epoll_create1}, {@code epoll_ctl} and {@code epoll_wait}.
 *
 * <p><b>Thread-safe for {@link #control}</b> (epoll_ctl is; the request buffer is per call);
 * {@link #await} belongs to the owning loop thread.
 */
public final class Epoll implements AutoCloseable {
    private final Syscalls syscalls;
    private final Arch arch;
    private final GuardedFd fd; // epoll_ctl may come from any thread while the owner closes
    private final EpollEvents ready;
    private final EpollEvents ownerRequest; // the owning loop thread's epoll_ctl argument

    public Epoll(Syscalls syscalls, Arch arch, Arena arena, int maxEvents) throws IOException {
        this.syscalls = syscalls;
        this.arch = arch;
        int created = syscalls.epollCreate1(Arch.O_CLOEXEC);
        if (created < 0) {
            throw Errors.ioException("epoll_create1", created, null);
        }
        this.fd = new GuardedFd(syscalls, created);
        this.ready = new EpollEvents(arena, maxEvents, arch);
        this.ownerRequest = new EpollEvents(arena, 1, arch);
    }

    /** {@link #control} for the owning loop thread only: its request buffer is reused, so nothing is allocated. */
    public int controlFromOwner(int op, int targetFd, int events, long data) {
        ownerRequest.set(0, events, data);
        return syscalls.epollCtl(fd.fd(), op, targetFd, ownerRequest.segment());
    }

    /** {@code epoll_ctl(op, fd, {events, data})}; returns 0 or {@code -errno} ({@code -EBADF} once closed). */
    public int control(int op, int targetFd, int events, long data) {
        if (!fd.acquire()) {
            return -Errno.EBADF;
        }
        try (Arena arena = Arena.ofConfined()) {
            EpollEvents request = new EpollEvents(arena, 1, arch);
            request.set(0, events, data);
            return syscalls.epollCtl(fd.fd(), op, targetFd, request.segment());
        } finally {
            fd.release();
        }
    }

    /** Like {@link #control} but throws what the kernel said. */
    public void controlOrThrow(int op, int targetFd, int events, long data) throws IOException {
        int r = control(op, targetFd, events, data);
        if (r < 0) {
            throw Errors.ioException("epoll_ctl", r, "fd " + targetFd);
        }
    }

    /** Waits up to {@code timeoutMs} (-1: forever); returns how many events {@link #ready()} holds. EINTR gives 0. */
    public int await(int timeoutMs) throws IOException {
        int n = syscalls.epollWait(fd.fd(), ready.segment(), ready.capacity(), timeoutMs);
        if (n >= 0) {
            return n;
        }
        if (n == -Errno.EINTR) {
            return 0;
        }
        throw Errors.ioException("epoll_wait", n, null);
    }

    public EpollEvents ready() {
        return ready;
    }

    /** Closes the epoll fd once no {@link #control} call is using it. Idempotent. */
    @Override
    public void close() {
        fd.close();
    }
}
