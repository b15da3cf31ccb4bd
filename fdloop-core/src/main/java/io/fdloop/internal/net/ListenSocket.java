package io.fdloop.internal.net;

import io.fdloop.internal.linux.Sockets;
import io.fdloop.net.Acceptor;
import io.fdloop.net.ConnectionHandler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * One listening socket on one loop, accepting with its mechanism. The public {@code Listener} holds
 * one per loop it listens on.
 *
 * <p><b>Loop thread only</b>, except {@link #localAddress()}.
 */
public abstract class ListenSocket implements Continuation {
    private static final System.Logger LOG = System.getLogger("io.fdloop.net");

    protected final NetEngine engine;
    protected final int fd;
    protected final int family;
    protected final SocketConfig config;
    private final SocketAddress localAddress;
    private final boolean wildcard; // bound to the any-address: each connection asks for its own local address
    private final Acceptor acceptor;
    protected volatile boolean closed;

    protected ListenSocket(NetEngine engine, int fd, int family, SocketAddress localAddress, SocketConfig config,
                           Acceptor acceptor) {
        this.engine = engine;
        this.fd = fd;
        this.family = family;
        this.config = config;
        this.localAddress = localAddress;
        this.wildcard = localAddress instanceof InetSocketAddress inet && inet.getAddress().isAnyLocalAddress();
        this.acceptor = acceptor;
    }

    public SocketAddress localAddress() {
        return localAddress;
    }

    /** Whether it was closed (by its listener, or by its loop closing). Any thread. */
    public boolean isClosed() {
        return closed;
    }

    public NetEngine engine() {
        return engine;
    }

    /** Stops accepting and closes the socket. Idempotent; loop thread. */
    public final void close() {
        if (!closed) {
            closed = true;
            stopAccepting();
            engine.host.syscalls().close(fd);
            engine.removed(this);
        }
    }

    /** Sets the config's options on an accepted socket; returns its local address. */
    protected final SocketAddress setUpAccepted(int child) throws IOException {
        config.applyToConnection(engine.syscalls, child, family);
        return wildcard ? Sockets.localAddress(engine.syscalls, child) : localAddress;
    }

    /** Gives an accepted connection to the acceptor: its handler, or a close when it refuses or throws. */
    protected final void handOver(NetConnection connection, SocketAddress remote) {
        ConnectionHandler handler;
        try {
            handler = acceptor.accept(connection.handle());
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "the acceptor of " + localAddress() + " threw; resetting the "
                    + "connection from " + remote, e);
            connection.closeUnaccepted(true);
            return;
        }
        if (handler == null) {
            connection.closeUnaccepted(false);
        } else {
            connection.accepted(handler);
        }
    }

    /** Takes the socket out of the mechanism (unwatch, cancel a pause timer) before its fd is closed. */
    protected abstract void stopAccepting();
}
