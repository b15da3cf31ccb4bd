package io.fdloop.internal.net;

import io.fdloop.internal.linux.Sockets;
import io.fdloop.internal.linux.Syscalls;
import io.fdloop.net.Connection;
import io.fdloop.net.NetMechanism;
import io.fdloop.net.NetOptions;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What every connection made from one listener or one connect call shares: its socket options,
 * watermarks, close bound and mechanism, and how its public handle is made. One object for many
 * connections keeps each connection small.
 *
 * <p><b>Immutable; thread-safe.</b>
 */
public final class SocketConfig {
    public static final int DEFAULT_HIGH_WATER_MARK = 64 * 1024, DEFAULT_LOW_WATER_MARK = 32 * 1024;
    /** How long a graceful close may take to flush what is queued when SO_LINGER does not say. */
    public static final long DEFAULT_CLOSE_TIMEOUT_MS = 30_000;

    private final Map<SocketOption<?>, Object> options;
    private final NetMechanism mechanism;
    private final Function<NetConnection, Connection> handles;
    final int highWaterMark;
    final int lowWaterMark;
    /** Negative: off; 0: every close resets; positive: the bound of a graceful close. */
    final int lingerSeconds;

    public SocketConfig(Map<SocketOption<?>, Object> options, NetMechanism mechanism,
                        Function<NetConnection, Connection> handles) {
        this.options = new LinkedHashMap<>(options);
        this.mechanism = mechanism; // AUTO stays AUTO: each loop resolves it (its ring may be unusable)
        this.handles = handles;
        int high = (Integer) options.getOrDefault(NetOptions.WRITE_HIGH_WATER_MARK, DEFAULT_HIGH_WATER_MARK);
        int low = (Integer) options.getOrDefault(NetOptions.WRITE_LOW_WATER_MARK, Math.min(DEFAULT_LOW_WATER_MARK, high));
        if (low > high) {
            throw new IllegalArgumentException("WRITE_LOW_WATER_MARK (" + low + ") must not exceed WRITE_HIGH_WATER_MARK ("
                    + high + ")");
        }
        this.highWaterMark = high;
        this.lowWaterMark = low;
        this.lingerSeconds = (Integer) options.getOrDefault(StandardSocketOptions.SO_LINGER, -1);
    }

    public NetMechanism mechanism() {
        return mechanism;
    }

    public Connection handleFor(NetConnection connection) {
        return handles.apply(connection);
    }

    /** The bound of a graceful close, in milliseconds. */
    public long closeTimeoutMs() {
        return lingerSeconds > 0 ? lingerSeconds * 1000L : DEFAULT_CLOSE_TIMEOUT_MS;
    }

    /** Sets this config's options on a connected socket; TCP_NODELAY is on unless it says otherwise. */
    public void applyToConnection(Syscalls syscalls, int fd, int family) throws IOException {
        if (family != Sockets.AF_UNIX && !options.containsKey(StandardSocketOptions.TCP_NODELAY)) {
            SocketOptionCodec.set(syscalls, fd, family, StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
        }
        applyAll(syscalls, fd, family);
    }

    /**
     * Sets this config's options on a new outgoing socket and binds it to {@code local} (null: any
     * address); when either fails, {@code fd} is closed and the failure thrown.
     */
    public void prepareOutgoing(Syscalls syscalls, int fd, int family, SocketAddress local) throws IOException {
        try {
            applyToConnection(syscalls, fd, family);
            if (local != null) {
                Sockets.bind(syscalls, fd, local);
            }
        } catch (IOException | RuntimeException e) {
            syscalls.close(fd);
            throw e;
        }
    }

    /** Sets this config's options on a listening socket; SO_REUSEADDR is on unless it says otherwise. */
    public void applyToListener(Syscalls syscalls, int fd, int family) throws IOException {
        if (!options.containsKey(StandardSocketOptions.SO_REUSEADDR)) {
            SocketOptionCodec.set(syscalls, fd, family, StandardSocketOptions.SO_REUSEADDR, Boolean.TRUE);
        }
        applyAll(syscalls, fd, family);
    }

    private void applyAll(Syscalls syscalls, int fd, int family) throws IOException {
        for (Map.Entry<SocketOption<?>, Object> option : options.entrySet()) {
            SocketOptionCodec.set(syscalls, fd, family, option.getKey(), option.getValue());
        }
    }
}
