package io.fdloop.internal.http;

import io.fdloop.http.ServerOptions;
import io.fdloop.internal.http.files.Resolution;
import io.fdloop.internal.http.request.Method;
import io.fdloop.internal.http.request.Rejection;
import io.fdloop.internal.http.request.Request;
import io.fdloop.internal.http.request.RequestParser;
import io.fdloop.internal.http.request.RequestPath;
import io.fdloop.internal.http.response.BodyPart;
import io.fdloop.internal.http.response.ResponsePlan;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * The HTTP/1.1 protocol engine of one connection: bytes in, {@link ResponsePlan}s out, in request order.
 *
 * <p><b>Loop thread only</b>: every method runs on the connection's loop thread; the session calls its
 * {@link HttpTransport} from there and expects to be called back there (see {@link HttpTransport} for
 * the whole contract).
 *
 * <p>Input is copied out of the transport's read view into the session's own buffer only as far as it
 * is not consumed at once; requests are parsed as soon as their head is complete and answered in order
 * (pipelining): a response whose file is cached is planned at once, one that needs a lookup waits for
 * it on a lookup thread while later requests are parsed and planned, and plans are handed to the
 * transport strictly in request order. At most {@link ServerOptions#maxPipelinedRequests()} requests are
 * in the queue; then reading pauses until responses have gone out.
 *
 * <p>A response that closes the connection (HTTP/1.0 without keep-alive, {@code Connection: close},
 * {@link ServerOptions#keepAliveRequests()} reached, an error that ends the connection, the server
 * draining) is the last: nothing after it is parsed, and requests queued behind it are dropped. Input
 * that ends (the peer's FIN) is served up to the last complete request, then the connection closes.
 * Each finished response writes one access log line.
 *
 * <p>Timeouts: the head of a request must arrive within {@link ServerOptions#headerReadTimeout()} of its
 * first byte (of the accept, for a connection's first request), a body being discarded too; an idle
 * kept-alive connection closes after {@link ServerOptions#keepAliveTimeout()}. Both close without a
 * response, as nginx does (a request cut off by the header timeout is logged as 408). While responses
 * are being written, no read deadline runs: the transport's send timeout covers a stalled peer.
 */
public final class HttpSession {
    private static final System.Logger LOG = System.getLogger(HttpSession.class.getName());
    private static final int IDLE_BUFFER_BYTES = 16 * 1024;

    private final ServerContext context;
    private final ServerOptions options;
    private final HttpTransport transport;
    private final String remoteAddress;
    private final RequestParser parser;
    private final SessionDeadline deadline;
    private final ArrayList<Exchange> queue = new ArrayList<>(); // handed exchanges first, in request order
    private final int inputLimit;
    private byte[] in = new byte[0];
    private int start;
    private int end;
    private long discardRemaining;
    private long headStartedNanos;
    private int requests;
    private int handed;
    private boolean lastPlanned; // a closing response is queued: parse nothing more
    private boolean inputEnded;
    private boolean paused;
    private boolean closeRequested;
    private boolean closed;
    private boolean busy; // inside process(): a transport calling back re-entrantly only marks work to do
    private boolean again;

    /**
     * A session for a connection just accepted; its first head must arrive within the header timeout.
     *
     * @param remoteAddress the peer, as the access log's {@code $remote_addr} shows it
     */
    public HttpSession(ServerContext context, HttpTransport transport, String remoteAddress) {
        this.context = context;
        this.options = context.options();
        this.transport = transport;
        this.remoteAddress = remoteAddress;
        this.parser = new RequestParser(options);
        this.deadline = new SessionDeadline(context.loop(), this::expired);
        this.inputLimit = options.maxHeaderBytes() + (1 << 20);
        this.headStartedNanos = System.nanoTime();
        deadline.set(SessionDeadline.Kind.HEADER, headStartedNanos + options.headerReadTimeout().toNanos());
    }

    // ---- from the transport -------------------------------------------------------------------

    /** Input from the peer: {@code data} is read during this call only. Loop thread only. */
    public void received(MemorySegment data) {
        if (closed || inputEnded || lastPlanned || data.byteSize() == 0) {
            return; // after the last response, the rest of the input is not read
        }
        try {
            int length = (int) Math.min(data.byteSize(), Integer.MAX_VALUE - 16);
            if (end - start + (long) length > inputLimit) {
                LOG.log(System.Logger.Level.DEBUG, "{0}: input kept arriving while reading was paused; aborting",
                        remoteAddress);
                abort();
                return;
            }
            if (start == end && !parser.inHead()) {
                headStartedNanos = System.nanoTime();
            }
            append(data, length);
            process();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** The peer will send nothing more (FIN). Loop thread only. */
    public void inputEnded() {
        if (closed || inputEnded) {
            return;
        }
        inputEnded = true;
        try {
            process();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** The transport wrote {@code plan} whole. Loop thread only. */
    public void sent(ResponsePlan plan) {
        finished(plan, plan.bodyLength());
    }

    /**
     * Writing {@code plan} failed after {@code bodyBytesSent} of its body went out; the transport closes
     * the connection. Loop thread only.
     */
    public void sendFailed(ResponsePlan plan, long bodyBytesSent, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "{0}: response {1} cut short after {2} body bytes: {3}",
                remoteAddress, plan.status(), bodyBytesSent, cause);
        lastPlanned = true;
        closeRequested = true; // the transport closes the connection itself
        finished(plan, bodyBytesSent);
    }

    /**
     * A file region of {@code plan} came up short after {@code bodyBytesSent} body bytes: the file was
     * truncated or replaced while being sent. The response cannot be finished (its length is out), so the
     * transport closes the connection; the session drops the file from the open-file cache, so the next
     * request looks it up again. Loop thread only.
     */
    public void fileChanged(ResponsePlan plan, long bodyBytesSent, Throwable cause) {
        for (BodyPart part : plan.body()) {
            if (part instanceof BodyPart.FileRegion region) {
                context.lookups().cache().invalidateFile(region.file().path());
            }
        }
        LOG.log(System.Logger.Level.WARNING, "{0}: {1} changed while being sent; the response was cut after {2}"
                + " body bytes and the file will be looked up again", remoteAddress, plan.body(), bodyBytesSent);
        sendFailed(plan, bodyBytesSent, cause);
    }

    /** The connection is gone: everything still held is released. Idempotent. Loop thread only. */
    public void closed() {
        if (closed) {
            return;
        }
        closed = true;
        deadline.cancel();
        for (Exchange e : queue) {
            e.abandoned = true;
            e.release();
        }
        queue.clear();
        in = new byte[0];
        start = end = 0;
    }

    /**
     * The server is shutting down: no new request is read; the responses queued still go out, then the
     * connection closes (at once, if idle). Loop thread only.
     */
    public void shutdown() {
        if (closed) {
            return;
        }
        lastPlanned = true;
        process();
    }

    /** Requests parsed and not yet sent. Loop thread only. */
    public int queued() {
        return queue.size();
    }

    /** Whether {@link #closed()} was called. Loop thread only. */
    public boolean isClosed() {
        return closed;
    }

    // ---- parsing -------------------------------------------------------------------------------

    private void append(MemorySegment data, int length) {
        if (start == end) {
            start = end = 0;
        } else if (end + length > in.length && start > 0) {
            System.arraycopy(in, start, in, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end + length > in.length) {
            in = Arrays.copyOf(in, Math.max(Math.max(in.length * 2, 1024), end + length));
        }
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, in, end, length);
        end += length;
    }

    /**
     * Parses and answers what the buffer holds, as far as the queue allows, and hands ready plans to the
     * transport. A transport may report a plan sent from inside {@code send} (its write completed at
     * once): that call only marks more work, which this loop then does, so the stack never grows with
     * the number of pipelined requests.
     */
    private void process() {
        if (busy) {
            again = true;
            return;
        }
        busy = true;
        try {
            do {
                again = false;
                parseAvailable();
                emit();
            } while (again && !closed);
        } finally {
            busy = false;
        }
        if (start == end) {
            start = end = 0;
            if (in.length > IDLE_BUFFER_BYTES) {
                in = new byte[0]; // a burst grew it: an idle connection keeps no more than a small buffer
            }
        }
        updateDeadline();
        closeIfDone();
    }

    private void parseAvailable() {
        while (!closed && !lastPlanned) {
            if (discardRemaining > 0) {
                long skip = Math.min(discardRemaining, end - start);
                start += (int) skip;
                discardRemaining -= skip;
                if (discardRemaining > 0) {
                    break;
                }
                continue;
            }
            if (queue.size() >= options.maxPipelinedRequests()) {
                emit(); // a transport that writes at once frees the queue here, without a pause
                if (queue.size() >= options.maxPipelinedRequests()) {
                    pause();
                    break;
                }
                continue;
            }
            if (!parser.inHead()) {
                start = RequestParser.skipEmptyLines(in, start, end);
            }
            if (start == end) {
                break;
            }
            int result = parser.parse(in, start, end);
            if (result == RequestParser.NEED_MORE) {
                break;
            }
            if (result == RequestParser.REJECTED) {
                Rejection r = parser.rejection();
                start = end;
                Exchange e = new Exchange(null, r.requestLine(), false);
                e.plan = context.planner().rejected(r);
                queue.add(e);
                lastPlanned = true;
                break;
            }
            start += result;
            Request request = parser.request();
            discardRemaining = request.contentLength();
            answer(request);
        }
    }

    /** Queues the exchange for one parsed request, planned now or once its lookup completes. */
    private void answer(Request request) {
        requests++;
        boolean keepAlive = request.keepAliveRequested() && requests < options.keepAliveRequests()
                && !context.draining();
        Exchange e = new Exchange(request, request.requestLine(), keepAlive);
        queue.add(e);
        if (!keepAlive) {
            lastPlanned = true;
        }
        Method method = request.method();
        if (method == Method.UNKNOWN) {
            e.plan = context.planner().error(request, 501, false);
        } else if (!method.isServed()) {
            e.plan = context.planner().error(request, 405, keepAlive);
        } else {
            RequestPath.Outcome target = RequestPath.decode(request.target());
            if (target.path() == null) {
                LOG.log(System.Logger.Level.DEBUG, "{0}: 400 for {1}: {2}", remoteAddress, request.requestLine(),
                        target.problem());
                e.plan = context.planner().error(request, 400, false);
            } else {
                Resolution cached = context.lookups().cached(target.path());
                if (cached != null) {
                    plan(e, cached);
                } else {
                    context.lookups().lookup(target.path(), resolution -> resolved(e, resolution));
                }
            }
        }
        if (e.plan != null && e.plan.closeAfter()) {
            lastPlanned = true;
        }
    }

    private void plan(Exchange e, Resolution resolution) {
        e.resolution = resolution;
        try {
            e.plan = context.planner().respond(e.request, resolution, e.keepAlive);
        } catch (RuntimeException failure) {
            LOG.log(System.Logger.Level.ERROR, remoteAddress + ": planning the response to " + e.requestLine
                    + " failed", failure);
            e.release();
            e.plan = context.planner().error(e.request, 500, false);
        }
    }

    private void resolved(Exchange e, Resolution resolution) {
        if (closed || e.abandoned) {
            resolution.release();
            return;
        }
        try {
            plan(e, resolution);
            process();
        } catch (RuntimeException failure) {
            failed(failure);
        }
    }

    // ---- writing -------------------------------------------------------------------------------

    /** Hands the plans that are ready to the transport, in order, up to one that closes. */
    private void emit() {
        while (!closed && !closeRequested && handed < queue.size()) {
            Exchange e = queue.get(handed);
            if (e.plan == null) {
                return;
            }
            e.handed = true;
            handed++;
            if (e.plan.closeAfter()) {
                lastPlanned = true;
                closeRequested = true;
                dropAfter(handed);
            }
            transport.send(e.plan);
        }
    }

    /** Abandons the exchanges behind the first {@code keep}: a response before them closes the connection. */
    private void dropAfter(int keep) {
        while (queue.size() > keep) {
            Exchange dropped = queue.remove(queue.size() - 1);
            dropped.abandoned = true;
            dropped.release();
        }
    }

    private void finished(ResponsePlan plan, long bodyBytes) {
        if (closed) {
            return;
        }
        Exchange e = queue.isEmpty() ? null : queue.getFirst();
        if (e == null || e.plan != plan || !e.handed) {
            throw new IllegalStateException("the transport reported a response the session did not hand it next: "
                    + plan + " (HttpTransport must report sent plans once each, in order)");
        }
        queue.removeFirst();
        handed--;
        e.release();
        Request r = e.request;
        try {
            context.log(remoteAddress, e.requestLine, plan.status(), bodyBytes,
                    r == null ? null : r.referer(), r == null ? null : r.userAgent());
        } catch (RuntimeException failure) {
            LOG.log(System.Logger.Level.WARNING, "writing the access log failed", failure);
        }
        if (closeRequested) {
            return; // the transport closes after this plan
        }
        try {
            if (paused && queue.size() < options.maxPipelinedRequests() && !lastPlanned) {
                paused = false;
                transport.resumeReading();
            }
            process();
        } catch (RuntimeException failure) {
            failed(failure);
        }
    }

    private void pause() {
        if (!paused) {
            paused = true;
            transport.pauseReading();
        }
    }

    /** Closes once nothing is left to answer: after the input ended, or on shutdown. */
    private void closeIfDone() {
        if (closed || closeRequested || !queue.isEmpty()) {
            return;
        }
        if (inputEnded || lastPlanned) {
            closeRequested = true;
            deadline.cancel();
            transport.close();
        }
    }

    // ---- timeouts and failures -----------------------------------------------------------------

    private void updateDeadline() {
        if (closed || closeRequested) {
            deadline.cancel();
            return;
        }
        if (!queue.isEmpty()) {
            deadline.set(SessionDeadline.Kind.NONE, 0);
        } else if (parser.inHead() || start < end || discardRemaining > 0 || requests == 0) {
            deadline.set(SessionDeadline.Kind.HEADER, headStartedNanos + options.headerReadTimeout().toNanos());
        } else {
            deadline.set(SessionDeadline.Kind.IDLE, System.nanoTime() + options.keepAliveTimeout().toNanos());
        }
    }

    private void expired(SessionDeadline.Kind kind) {
        if (closed || closeRequested) {
            return;
        }
        if (kind == SessionDeadline.Kind.HEADER && (parser.inHead() || start < end || discardRemaining > 0)) {
            context.log(remoteAddress, null, 408, 0, null, null);
        }
        closeRequested = true;
        lastPlanned = true;
        transport.close();
    }

    private void failed(RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, remoteAddress + ": the HTTP session failed; closing the connection", e);
        abort();
    }

    private void abort() {
        if (!closed) {
            closeRequested = true;
            lastPlanned = true;
            deadline.cancel();
            transport.abort();
        }
    }
}
