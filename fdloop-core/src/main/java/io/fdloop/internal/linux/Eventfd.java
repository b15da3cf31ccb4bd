package io.fdloop.internal.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * eventfd(2): a 64-bit counter in the kernel; {@code write} adds, {@code read} returns the
 * counter and resets it to zero (or returns 1 and decrements, with {@link #EFD_SEMAPHORE}).
 * Readable (EPOLLIN) while the counter is non-zero.
 *
 * <p><b>Thread-safe</b>: the 8-byte transfer buffer is per calling thread.
 */
public final class Eventfd {
    public static final int EFD_SEMAPHORE = 1, EFD_NONBLOCK = Arch.O_NONBLOCK, EFD_CLOEXEC = Arch.O_CLOEXEC;
    /** The largest value the counter can hold. */
    public static final long MAX_COUNTER = 0xffff_ffff_ffff_fffeL;

    private static final ThreadLocal<MemorySegment> SCRATCH = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(8, 8));

    private Eventfd() {
    }

    /** A non-blocking, close-on-exec eventfd. */
    public static int create(Syscalls syscalls, long initialValue, int extraFlags) throws IOException {
        int fd = syscalls.eventfd((int) initialValue, EFD_NONBLOCK | EFD_CLOEXEC | extraFlags);
        if (fd < 0) {
            throw Errors.ioException("eventfd", fd, null);
        }
        return fd;
    }

    /** Reads the counter: its value (resetting it), or 0 when it was already zero. */
    public static long read(Syscalls syscalls, int fd) throws IOException {
        MemorySegment scratch = SCRATCH.get();
        while (true) {
            long n = syscalls.read(fd, scratch.address(), 8);
            if (n == 8) {
                return scratch.get(JAVA_LONG, 0);
            }
            if (n == -Errno.EAGAIN) {
                return 0;
            }
            if (n != -Errno.EINTR) {
                throw Errors.ioException("read(eventfd)", n, null);
            }
        }
    }

    /**
     * Reads the counter of a completion source's eventfd after epoll reported it, as every source's
     * reap step begins; a failure there means the loop's own fd is broken.
     *
     * @param source the source, for the message
     * @throws IllegalStateException when the read fails
     */
    public static long drain(Syscalls syscalls, int fd, String source) {
        try {
            return read(syscalls, fd);
        } catch (IOException e) {
            throw new IllegalStateException("the " + source + " eventfd failed", e);
        }
    }

    /** Adds {@code value}; returns false (adding nothing) when the counter would overflow. */
    public static boolean write(Syscalls syscalls, int fd, long value) throws IOException {
        MemorySegment scratch = SCRATCH.get();
        scratch.set(JAVA_LONG, 0, value);
        while (true) {
            long n = syscalls.write(fd, scratch.address(), 8);
            if (n == 8) {
                return true;
            }
            if (n == -Errno.EAGAIN) {
                return false;
            }
            if (n != -Errno.EINTR) {
                throw Errors.ioException("write(eventfd)", n, null);
            }
        }
    }
}
