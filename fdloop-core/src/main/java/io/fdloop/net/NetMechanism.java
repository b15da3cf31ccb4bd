package io.fdloop.net;

import java.util.Locale;

/**
 * How a socket's I/O reaches the kernel. Each loop runs its own instance of each mechanism its
 * sockets use, beside its files, in the same {@code epoll_wait}.
 *
 * <p><b>Immutable; thread-safe.</b>
 */
public enum NetMechanism {
    /** The best this host allows: today {@link #EPOLL}. */
    AUTO,
    /**
     * Readiness: each socket sits in the loop's epoll set, edge-triggered; the loop reads and writes
     * it with {@code recv}/{@code sendmsg}/{@code sendfile} when it is ready. Works on every kernel.
     */
    EPOLL;

    /**
     * Whether this mechanism can be used here; every mechanism of this version always can. Any thread.
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
        return null;
    }

    /**
     * What {@link #AUTO} stands for here. Any thread.
     *
     * @return the concrete mechanism
     */
    public NetMechanism resolve() {
        return this == AUTO ? EPOLL : this;
    }

    /**
     * {@code -Dfdloop.net.mechanism=auto|epoll}, default {@link #AUTO}. Any thread.
     *
     * @return the mechanism the property names
     */
    public static NetMechanism fromSystemProperty() {
        String value = System.getProperty("fdloop.net.mechanism", "auto");
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-Dfdloop.net.mechanism=" + value + " is not one of auto, epoll", e);
        }
    }
}
