package io.fdloop.net;

import io.fdloop.internal.linux.Syscalls;
import io.fdloop.internal.uring.UringNetworking;

import java.util.Locale;

/**
 * How a socket's I/O reaches the kernel. Each loop runs its own instance of each mechanism its
 * sockets use, beside its files, in the same {@code epoll_wait}; a loop may serve connections of both.
 *
 * <p><b>Immutable; thread-safe.</b>
 */
public enum NetMechanism {
    /**
     * The best this host allows: {@link #URING} when this kernel has what it needs (see there), else
     * {@link #EPOLL}. A loop whose ring cannot be set up (the kernel refuses it for this process) takes
     * epoll, and says why once in the log.
     */
    AUTO,
    /**
     * Readiness: each socket sits in the loop's epoll set, edge-triggered; the loop reads and writes
     * it with {@code recv}/{@code sendmsg}/{@code sendfile} when it is ready. Works on every kernel.
     */
    EPOLL,
    /**
     * Completions on the loop's one io_uring (shared with its files): a multishot accept per listener, a
     * multishot receive per connection into a ring of buffers the kernel picks from (so an idle
     * connection holds no read buffer), sends queued in one iteration leaving as one
     * {@code IORING_OP_SEND}/{@code SENDMSG} per connection in the loop's single {@code io_uring_enter},
     * and {@code sendFile} spliced file-to-pipe-to-socket by the kernel. Needs Linux 6.0 (multishot
     * receive) with io_uring allowed for the process; {@link #unavailabilityCause()} says what is missing.
     */
    URING;

    /**
     * Whether this mechanism can be used here. {@link #URING} is probed once per process, on a small ring
     * of its own; the others always can. Any thread.
     *
     * @return whether it can be used
     */
    public boolean isAvailable() {
        return unavailabilityCause() == null;
    }

    /**
     * Why this mechanism cannot be used here, or null when it can. Any thread.
     *
     * @return the reason, or null
     */
    public String unavailabilityCause() {
        return this == URING ? Probe.URING : null;
    }

    /**
     * What {@link #AUTO} stands for here. Any thread.
     *
     * @return the concrete mechanism
     */
    public NetMechanism resolve() {
        if (this != AUTO) {
            return this;
        }
        return URING.isAvailable() ? URING : EPOLL;
    }

    /**
     * {@code -Dfdloop.net.mechanism=auto|epoll|uring}, default {@link #AUTO}. Any thread.
     *
     * @return the mechanism the property names
     */
    public static NetMechanism fromSystemProperty() {
        String value = System.getProperty("fdloop.net.mechanism", "auto");
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-Dfdloop.net.mechanism=" + value + " is not one of auto, epoll, uring", e);
        }
    }

    private static final class Probe {
        static final String URING = UringNetworking.probe(Syscalls.linux());
    }
}
