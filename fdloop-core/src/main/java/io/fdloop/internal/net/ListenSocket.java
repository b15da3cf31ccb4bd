package io.fdloop.internal.net;

import io.fdloop.net.Acceptor;
import io.fdloop.net.ConnectionHandler;

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
    private final SocketAddress localAddress;
    protected volatile boolean closed;

    protected ListenSocket(NetEngine engine, int fd, SocketAddress localAddress) {
        this.engine = engine;
        this.fd = fd;
        this.localAddress = localAddress;
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

    /** Gives an accepted connection to {@code acceptor}: its handler, or a close when it refuses or throws. */
    protected final void handOver(NetConnection connection, Acceptor acceptor, SocketAddress remote) {
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
