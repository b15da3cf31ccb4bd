package io.fdloop.net;

import java.net.SocketOption;

/**
 * fdloop's own socket options, beside {@link java.net.StandardSocketOptions}. Each is typed: a value
 * of the wrong type or out of range fails with a message saying what is expected.
 *
 * <p>Options a {@link Listener} or {@link Connection} takes: {@code StandardSocketOptions.TCP_NODELAY}
 * (on by default for TCP), {@code SO_KEEPALIVE}, {@code SO_SNDBUF}, {@code SO_RCVBUF},
 * {@code SO_LINGER}, {@code SO_REUSEADDR} (on by default for listeners), {@code SO_REUSEPORT}, and the
 * constants below. {@code jdk.net.ExtendedSocketOptions}' {@code TCP_KEEPIDLE},
 * {@code TCP_KEEPINTERVAL} and {@code TCP_KEEPCOUNT} are accepted too, as the same options.
 *
 * <p>{@code SO_LINGER}: a negative value (the default) leaves lingering off; 0 makes every close
 * abortive (RST, as {@link Connection#abort()}); n &gt; 0 bounds {@link Connection#close()}'s flush to
 * n seconds, after which the connection is reset. The positive value is not handed to the kernel,
 * whose lingering {@code close(2)} would block the loop thread.
 *
 * <p><b>Immutable; thread-safe.</b>
 */
public final class NetOptions {
    /** Seconds of idleness before TCP sends keepalive probes ({@code TCP_KEEPIDLE}, 1 to 32767). Needs {@code SO_KEEPALIVE}. */
    public static final SocketOption<Integer> TCP_KEEPIDLE = new Option<>("TCP_KEEPIDLE", Integer.class);
    /** Seconds between keepalive probes ({@code TCP_KEEPINTVL}, 1 to 32767). */
    public static final SocketOption<Integer> TCP_KEEPINTERVAL = new Option<>("TCP_KEEPINTERVAL", Integer.class);
    /** Unanswered probes before the connection is dropped ({@code TCP_KEEPCNT}, 1 to 127). */
    public static final SocketOption<Integer> TCP_KEEPCOUNT = new Option<>("TCP_KEEPCOUNT", Integer.class);
    /**
     * Milliseconds that sent data may stay unacknowledged before the kernel drops the connection
     * ({@code TCP_USER_TIMEOUT}, &gt;= 0; 0 is the kernel's default).
     */
    public static final SocketOption<Integer> TCP_USER_TIMEOUT = new Option<>("TCP_USER_TIMEOUT", Integer.class);
    /** Whether a socket bound to an IPv6 address refuses IPv4-mapped traffic ({@code IPV6_V6ONLY}). */
    public static final SocketOption<Boolean> IPV6_V6ONLY = new Option<>("IPV6_V6ONLY", Boolean.class);
    /**
     * The kernel's cork ({@code TCP_CORK}): partial segments are held until the cork is removed (or for
     * 200 ms). {@link Connection#cork()} is the cheaper user-space form.
     */
    public static final SocketOption<Boolean> TCP_CORK = new Option<>("TCP_CORK", Boolean.class);
    /**
     * Bytes queued for writing at which {@link Connection#isWritable()} turns false and
     * {@link ConnectionHandler#onWritabilityChanged} is called (default 64 KiB).
     */
    public static final SocketOption<Integer> WRITE_HIGH_WATER_MARK = new Option<>("WRITE_HIGH_WATER_MARK", Integer.class);
    /** Bytes queued below which a connection turns writable again (default 32 KiB; at most the high mark). */
    public static final SocketOption<Integer> WRITE_LOW_WATER_MARK = new Option<>("WRITE_LOW_WATER_MARK", Integer.class);

    private NetOptions() {
    }

    private record Option<T>(String name, Class<T> type) implements SocketOption<T> {
        @Override
        public String toString() {
            return name;
        }
    }
}
