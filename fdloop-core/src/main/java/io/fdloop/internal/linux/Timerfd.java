package io.fdloop.internal.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * timerfd on {@code CLOCK_MONOTONIC}, armed with absolute deadlines ({@code TFD_TIMER_ABSTIME}).
 * Readable when the deadline passed; a read returns the number of expirations.
 *
 * <p><b>Not thread-safe</b>: owned by one loop.
 */
public final class Timerfd implements AutoCloseable {
    private final Syscalls syscalls;
    private final int fd;
    private final MemorySegment spec;
    private final MemorySegment now;
    private boolean closed;

    public Timerfd(Syscalls syscalls, Arena arena) throws IOException {
        this.syscalls = syscalls;
        this.spec = arena.allocate(Timespec.ITIMERSPEC_SIZE, 8);
        this.now = arena.allocate(Timespec.SIZE, 8);
        int created = syscalls.timerfdCreate(Timespec.CLOCK_MONOTONIC, Arch.O_NONBLOCK | Arch.O_CLOEXEC);
        if (created < 0) {
            throw Errors.ioException("timerfd_create", created, null);
        }
        this.fd = created;
    }

    public int fd() {
        return fd;
    }

    /** The current {@code CLOCK_MONOTONIC} time in nanoseconds. */
    public long monotonicNanos() {
        int r = syscalls.clockGettime(Timespec.CLOCK_MONOTONIC, now);
        if (r < 0) {
            throw new IllegalStateException(Errors.describe("clock_gettime", -r, null));
        }
        return Timespec.nanos(now, 0);
    }

    /** Arms the timer for the absolute {@code CLOCK_MONOTONIC} deadline, or disarms it for {@code 0}. */
    public void arm(long deadlineMonotonicNanos) throws IOException {
        Timespec.set(spec, Timespec.ITIMERSPEC_INTERVAL, 0);
        // it_value 0 would disarm: a deadline in the past still has to fire, so clamp to 1 ns.
        Timespec.set(spec, Timespec.ITIMERSPEC_VALUE, deadlineMonotonicNanos == 0 ? 0 : Math.max(1, deadlineMonotonicNanos));
        int r = syscalls.timerfdSettime(fd, Timespec.TFD_TIMER_ABSTIME, spec);
        if (r < 0) {
            throw Errors.ioException("timerfd_settime", r, null);
        }
    }

    /** Consumes the expiration count (0 when the timer had not fired). */
    public long drain() throws IOException {
        return Eventfd.read(syscalls, fd); // same 8-byte counter read, same EAGAIN meaning
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            syscalls.close(fd);
        }
    }
}
