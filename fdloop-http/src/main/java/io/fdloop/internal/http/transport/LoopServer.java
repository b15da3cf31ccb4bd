package io.fdloop.internal.http.transport;

import io.fdloop.EventLoop;
import io.fdloop.http.ServerOptions;
import io.fdloop.internal.http.ServerContext;
import io.fdloop.internal.http.log.AccessLogWriter;
import io.fdloop.net.Acceptor;
import io.fdloop.net.Connection;
import io.fdloop.net.ConnectionHandler;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One loop's share of a server: it accepts the loop's connections (within the server's
 * {@code maxConnections}), knows those still open, and drains them when the server stops.
 *
 * <p><b>Loop thread only.</b>
 */
final class LoopServer implements Acceptor {
    private static final System.Logger LOG = System.getLogger(LoopServer.class.getName());

    private final EventLoop loop;
    private final ServerContext context;
    private final ConnectionSlots slots;
    private final SmallFiles smallFiles;
    private final Set<ConnectionTransport> open = new HashSet<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private boolean draining;

    LoopServer(EventLoop loop, ServerContext context, ConnectionSlots slots, SmallFiles smallFiles) {
        this.loop = loop;
        this.context = context;
        this.slots = slots;
        this.smallFiles = smallFiles;
    }

    SmallFiles smallFiles() {
        return smallFiles;
    }

    EventLoop loop() {
        return loop;
    }

    ServerContext context() {
        return context;
    }

    ServerOptions options() {
        return context.options();
    }

    @Override
    public ConnectionHandler accept(Connection connection) {
        if (draining || !slots.take()) {
            return null;
        }
        ConnectionTransport transport = ConnectionTransport.accepted(this, connection);
        open.add(transport);
        return transport;
    }

    /** The connection of {@code transport} is gone. */
    void removed(ConnectionTransport transport) {
        if (open.remove(transport)) {
            slots.give();
        }
        if (draining && open.isEmpty()) {
            drained.complete(null);
        }
    }

    /**
     * Graceful stop: nothing new is accepted here, requests parsed from now on are answered with
     * {@code Connection: close}, idle connections close at once and busy ones after their queued
     * responses. The future completes once every connection of this loop is gone.
     */
    CompletableFuture<Void> drain() {
        if (!draining) {
            draining = true;
            context.drain();
            for (ConnectionTransport transport : List.copyOf(open)) {
                try {
                    transport.session().shutdown();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "shutting a session down failed; resetting its connection", e);
                    transport.abort();
                }
            }
            if (open.isEmpty()) {
                drained.complete(null);
            }
        }
        return drained;
    }

    /** Resets every connection still open (the shutdown timeout passed). */
    void abortAll() {
        for (ConnectionTransport transport : List.copyOf(open)) {
            transport.abort();
        }
    }

    int connections() {
        return open.size();
    }

    /** Switches the access log to its new generation (SIGHUP). */
    void reopenAccessLog() {
        AccessLogWriter log = context.accessLog();
        if (log != null) {
            log.reopen().whenComplete((ignored, error) -> {
                if (error != null) {
                    LOG.log(System.Logger.Level.WARNING, "reopening the access log failed; lines still go to the old"
                            + " file", error);
                }
            });
        }
    }

    /** After the drain: the access log is flushed and closed, the open-file cache let go of. */
    CompletableFuture<Void> release() {
        context.lookups().cache().clear();
        AccessLogWriter log = context.accessLog();
        return log == null ? CompletableFuture.completedFuture(null) : log.closeAsync();
    }
}
