package io.fdloop.internal.http.transport;

import io.fdloop.Timer;
import io.fdloop.http.ServerOptions;
import io.fdloop.internal.http.HttpSession;
import io.fdloop.internal.http.HttpTransport;
import io.fdloop.internal.http.response.BodyPart;
import io.fdloop.internal.http.response.ResponsePlan;
import io.fdloop.net.Connection;
import io.fdloop.net.ConnectionHandler;
import io.fdloop.net.TransferHandler;

import java.io.EOFException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.InterruptedByTimeoutException;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One accepted connection carrying one {@link HttpSession}: bytes read go to the session, and the
 * session's response plans go out on the connection, as docs/HTTP.md describes.
 *
 * <ul>
 *   <li>A plan's head and {@code Bytes} parts are copied into the connection's own memory
 *       ({@code writeCopy}); the copies of consecutive plans share chunks and leave in one {@code sendmsg}
 *       per loop iteration, with {@code MSG_MORE} before a file range. A range of a small file whose
 *       content the loop holds in memory ({@link SmallFiles}) is copied the same way; other ranges go by
 *       {@code sendFile}: zero copy from the page cache, asynchronous reads otherwise, aligned reads
 *       through the file's backend for files opened {@code O_DIRECT}. Each plan's completion is its last
 *       {@code sendFile}'s, or a zero-length marker write's; then the session is told the plan is sent
 *       ({@link Outgoing}).</li>
 *   <li>A failed write reports the oldest unfinished plan to the session (as changed when the file came
 *       up short, as failed otherwise) and resets the connection; the send timeout ({@link SendWatch})
 *       counts as a failed write.</li>
 *   <li>Reading stops while the session asks (its pipeline is full) or while the connection's write
 *       queue is above its high watermark.</li>
 *   <li>A graceful close lingers: FIN after what is queued, then what the client still sends is read
 *       and dropped until its FIN or {@link ServerOptions#lingeringTimeout()}, then the socket closes;
 *       closing with unread input would make the kernel reset the connection and could destroy the last
 *       response before the client read it.</li>
 * </ul>
 *
 * <p><b>Loop thread only</b>, like the connection's callbacks.
 */
final class ConnectionTransport implements HttpTransport, ConnectionHandler, TransferHandler<ResponsePlan> {
    private static final System.Logger LOG = System.getLogger(ConnectionTransport.class.getName());
    private static final int PAUSED_BY_SESSION = 1;
    private static final int PAUSED_BY_WRITE_QUEUE = 2;

    private final LoopServer server;
    private final Connection connection;
    private final SendWatch sendWatch;
    private final ArrayDeque<Outgoing> inFlight = new ArrayDeque<>(4);
    private HttpSession session;
    private int readPauses;
    private boolean inputEnded;
    private boolean closeRequested;
    private boolean lingering;
    private boolean failureReported;
    private boolean gone;
    private Timer lingerTimer;

    private ConnectionTransport(LoopServer server, Connection connection) {
        this.server = server;
        this.connection = connection;
        this.sendWatch = new SendWatch(connection.loop(), connection, server.options().sendTimeout().toNanos(),
                this::sendTimedOut);
    }

    /** The transport and session of a connection just accepted. Loop thread only. */
    static ConnectionTransport accepted(LoopServer server, Connection connection) {
        ConnectionTransport transport = new ConnectionTransport(server, connection);
        transport.session = new HttpSession(server.context(), transport, remoteAddress(connection.remoteAddress()));
        return transport;
    }

    HttpSession session() {
        return session;
    }

    // ---- the session's side ---------------------------------------------------------------------

    @Override
    public void send(ResponsePlan plan) {
        Outgoing outgoing = new Outgoing(plan);
        inFlight.add(outgoing);
        if (gone || closeRequested || failureReported) {
            failed(new ClosedChannelException(), plan); // the oldest plan hears it; the session drops the rest
            return;
        }
        sendWatch.busy();
        try {
            connection.writeCopy(plan.head());
            List<BodyPart> body = plan.body();
            for (int i = 0, n = body.size(); i < n && !failureReported; i++) {
                switch (body.get(i)) {
                    case BodyPart.Bytes bytes -> connection.writeCopy(bytes.bytes());
                    case BodyPart.FileRegion region -> {
                        MemorySegment inMemory = server.smallFiles().bytes(region.file(), region.position(), region.length());
                        if (inMemory != null) {
                            connection.writeCopy(inMemory);
                        } else {
                            outgoing.sendsByFile(i);
                            connection.sendFile(region.file(), region.position(), region.length(), plan, this);
                        }
                    }
                }
            }
            if (!failureReported && !outgoing.endsWithFile()) {
                outgoing.endsWithMarker();
                connection.write(MemorySegment.NULL, plan, this);
            }
        } catch (IllegalStateException closing) {
            failed(closing, plan); // the connection began closing under us (the loop is closing)
        }
    }

    @Override
    public void pauseReading() {
        pause(PAUSED_BY_SESSION);
    }

    @Override
    public void resumeReading() {
        resume(PAUSED_BY_SESSION);
    }

    @Override
    public void close() {
        if (closeRequested || gone) {
            return;
        }
        closeRequested = true;
        sendWatch.cancel();
        if (inputEnded) {
            connection.close();
            return;
        }
        lingering = true;
        if (readPauses != 0) {
            readPauses = 0;
            connection.resumeReading(); // to see the client's FIN
        }
        connection.shutdownOutput();
        lingerTimer = connection.loop().schedule(server.options().lingeringTimeout(), connection::close);
    }

    @Override
    public void abort() {
        closeRequested = true;
        sendWatch.cancel();
        connection.abort();
    }

    // ---- the connection's side ------------------------------------------------------------------

    @Override
    public void onData(Connection c, MemorySegment data) {
        if (!lingering) {
            session.received(data);
        }
    }

    @Override
    public void onEndOfStream(Connection c) {
        inputEnded = true;
        if (lingering) {
            connection.close();
        } else {
            session.inputEnded();
        }
    }

    @Override
    public void onWritabilityChanged(Connection c, boolean writable) {
        if (writable) {
            resume(PAUSED_BY_WRITE_QUEUE);
        } else {
            pause(PAUSED_BY_WRITE_QUEUE);
        }
    }

    @Override
    public void onClosed(Connection c, Throwable cause) {
        if (gone) {
            return;
        }
        gone = true;
        sendWatch.cancel();
        if (lingerTimer != null) {
            lingerTimer.cancel();
            lingerTimer = null;
        }
        if (!failureReported && !inFlight.isEmpty()) {
            failed(cause != null ? cause : new ClosedChannelException(), inFlight.peek().plan);
        }
        inFlight.clear();
        try {
            session.closed();
        } finally {
            server.removed(this);
        }
    }

    // ---- completions of what was written ---------------------------------------------------------

    @Override
    public void completed(long bytes, ResponsePlan plan) {
        Outgoing oldest = inFlight.peek();
        if (failureReported || oldest == null) {
            return;
        }
        if (oldest.plan != plan) {
            LOG.log(System.Logger.Level.ERROR, "{0}: a write completed out of order ({1} while {2} was the oldest);"
                    + " resetting the connection", connection, plan, oldest.plan);
            failed(new IllegalStateException("write completions out of order"), plan);
            return;
        }
        sendWatch.progressed();
        if (!oldest.confirmNext()) {
            return;
        }
        inFlight.poll();
        if (inFlight.isEmpty()) {
            sendWatch.idle();
        }
        session.sent(plan);
        if (plan.closeAfter()) {
            close();
        }
    }

    /**
     * A write or file range failed (or the connection ended with plans unfinished): the oldest unfinished
     * plan is reported once, as changed when its file came up short, and the connection is reset.
     */
    @Override
    public void failed(Throwable error, ResponsePlan plan) {
        if (failureReported) {
            return;
        }
        failureReported = true;
        closeRequested = true;
        sendWatch.cancel();
        Outgoing oldest = inFlight.poll();
        inFlight.clear();
        if (oldest != null) {
            if (error instanceof EOFException) {
                session.fileChanged(oldest.plan, oldest.bodyBytesSent(), error);
            } else {
                session.sendFailed(oldest.plan, oldest.bodyBytesSent(), error);
            }
        }
        if (!gone) {
            connection.abort();
        }
    }

    private void sendTimedOut() {
        Outgoing oldest = inFlight.peek();
        failed(new InterruptedByTimeoutException(), oldest == null ? null : oldest.plan);
        LOG.log(System.Logger.Level.DEBUG, "{0}: no write progress for {1}; connection reset", connection,
                server.options().sendTimeout());
    }

    // ---- reading ---------------------------------------------------------------------------------

    private void pause(int reason) {
        if (lingering) {
            return;
        }
        boolean wasReading = readPauses == 0;
        readPauses |= reason;
        if (wasReading) {
            connection.pauseReading();
        }
    }

    private void resume(int reason) {
        if (lingering || (readPauses & reason) == 0) {
            return;
        }
        readPauses &= ~reason;
        if (readPauses == 0) {
            connection.resumeReading();
        }
    }

    /** As nginx's {@code $remote_addr}: the address alone. */
    private static String remoteAddress(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }
}
