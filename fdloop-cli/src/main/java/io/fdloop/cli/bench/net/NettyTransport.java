package io.fdloop.cli.bench.net;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;

/**
 * Netty 4.2's two Linux native transports, and whether each works on this kernel as Netty itself
 * reports it ({@code Epoll.isAvailable()}, {@code IoUring.isAvailable()} and their causes).
 *
 * <p><b>Immutable; thread-safe.</b>
 */
public enum NettyTransport {
    EPOLL("epoll"),
    IO_URING("io_uring");

    private final String cliName;

    NettyTransport(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** The transport called {@code name} ({@code epoll} or {@code io_uring}); IllegalArgumentException otherwise. */
    public static NettyTransport named(String name) {
        for (NettyTransport t : values()) {
            if (t.cliName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("--transport must be epoll or io_uring, was " + name);
    }

    /** Netty's reason this transport cannot run here, or null when it can. Loads Netty's native library. */
    public String unavailableBecause() {
        try {
            Throwable cause = switch (this) {
                case EPOLL -> Epoll.isAvailable() ? null : orUnknown(Epoll.unavailabilityCause());
                case IO_URING -> IoUring.isAvailable() ? null : orUnknown(IoUring.unavailabilityCause());
            };
            return cause == null ? null : "Netty says: " + cause;
        } catch (LinkageError e) {
            return "Netty's " + cliName + " native library does not load here: " + e;
        }
    }

    IoHandlerFactory ioHandlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : IoUringIoHandler.newFactory();
    }

    private static Throwable orUnknown(Throwable cause) {
        return cause != null ? cause : new IllegalStateException("no cause given");
    }
}
