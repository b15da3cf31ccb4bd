package io.fdloop;

import io.fdloop.internal.linux.Eventfd;
import io.fdloop.internal.linux.GuardedFd;
import io.fdloop.internal.linux.Syscalls;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * A user event: the kernel's eventfd(2), a 64-bit counter that any thread can add to and that
 * wakes an {@link EventLoop} it is registered with ({@link EventLoop#register(EventFd, Interest, FdHandler)}).
 *
 * <p><b>Thread-safe</b>: {@link #write} and {@link #read} may be called from any thread, and
 * {@link #close()} never lets a concurrent call touch a reused fd number.
 *
 * <p>Counter semantics are the kernel's: {@code write(n)} adds {@code n}; {@code read()} returns
 * the counter and resets it to zero, or, for a {@linkplain #createSemaphore semaphore}, returns 1
 * and decrements it. The fd is non-blocking: reading a zero counter returns 0, and a write that
 * would overflow the counter adds nothing and returns false.
 */
public final class EventFd implements AutoCloseable {
    /** The largest value the counter can hold: 2<sup>64</sup> - 2. */
    public static final long MAX_VALUE = Eventfd.MAX_COUNTER;

    private final Syscalls syscalls;
    private final GuardedFd fd;
    private final boolean semaphore;

    private EventFd(Syscalls syscalls, int fd, boolean semaphore) {
        this.syscalls = syscalls;
        this.fd = new GuardedFd(syscalls, fd);
        this.semaphore = semaphore;
    }

    /**
     * A counter starting at zero. Any thread.
     *
     * @return the event
     * @throws IOException when the kernel refuses an eventfd (the process is out of fds)
     */
    public static EventFd create() throws IOException {
        return create(0);
    }

    /**
     * A counter starting at {@code initialValue}. Any thread.
     *
     * @param initialValue 0 to 2<sup>32</sup> - 1, as eventfd(2) takes
     * @return the event
     * @throws IOException when the kernel refuses an eventfd
     */
    public static EventFd create(long initialValue) throws IOException {
        return create(initialValue, false);
    }

    /**
     * A semaphore: each {@link #read()} takes 1 from the counter. Any thread.
     *
     * @param initialValue 0 to 2<sup>32</sup> - 1
     * @return the event
     * @throws IOException when the kernel refuses an eventfd
     */
    public static EventFd createSemaphore(long initialValue) throws IOException {
        return create(initialValue, true);
    }

    private static EventFd create(long initialValue, boolean semaphore) throws IOException {
        if (initialValue < 0 || initialValue > 0xffff_ffffL) {
            throw new IllegalArgumentException("initial value must be 0 to 4294967295 (eventfd takes an unsigned int), was "
                    + initialValue);
        }
        Syscalls syscalls = Syscalls.linux();
        int fd = Eventfd.create(syscalls, initialValue, semaphore ? Eventfd.EFD_SEMAPHORE : 0);
        return new EventFd(syscalls, fd, semaphore);
    }

    /**
     * The fd, to register it or hand it to other code; valid until {@link #close()}. Any thread.
     *
     * @return the fd number
     */
    public int fd() {
        return fd.fd();
    }

    /**
     * Whether reads take 1 at a time ({@code EFD_SEMAPHORE}). Any thread.
     *
     * @return true for a semaphore
     */
    public boolean isSemaphore() {
        return semaphore;
    }

    /**
     * Adds {@code value} to the counter. Any thread.
     *
     * @param value 1 to {@link #MAX_VALUE}, read as unsigned
     * @return false, adding nothing, when the counter would pass {@link #MAX_VALUE} until someone reads it
     * @throws IOException                        when the eventfd is closed
     * @throws IllegalArgumentException           for 0 or a value past {@link #MAX_VALUE}
     */
    public boolean write(long value) throws IOException {
        if (value == 0 || Long.compareUnsigned(value, MAX_VALUE) > 0) {
            throw new IllegalArgumentException("an eventfd write adds 1 to 2^64-2 (as an unsigned value), was "
                    + Long.toUnsignedString(value));
        }
        if (!fd.acquire()) {
            throw new ClosedChannelException();
        }
        try {
            return Eventfd.write(syscalls, fd.fd(), value);
        } finally {
            fd.release();
        }
    }

    /**
     * Reads the counter (see the class comment). Any thread.
     *
     * @return the counter (a semaphore: 1), or 0 when it is zero
     * @throws IOException when the eventfd is closed
     */
    public long read() throws IOException {
        if (!fd.acquire()) {
            throw new ClosedChannelException();
        }
        try {
            return Eventfd.read(syscalls, fd.fd());
        } finally {
            fd.release();
        }
    }

    /**
     * Whether the eventfd is open. Any thread.
     *
     * @return false once {@link #close()} began
     */
    public boolean isOpen() {
        return !fd.isClosed();
    }

    /** Closes the eventfd; cancel its loop registration first. Idempotent. */
    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "EventFd[fd=" + fd.fd() + (semaphore ? ", semaphore" : "") + (fd.isClosed() ? ", closed]" : "]");
    }
}
