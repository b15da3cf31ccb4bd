package io.fdloop.internal.http;

import io.fdloop.internal.http.response.ResponsePlan;

/**
 * What an {@link HttpSession} asks of the connection under it; the transport adapter implements it
 * over a socket connection.
 *
 * <p><b>Loop thread only</b>: the session calls these on its loop thread, and the transport calls the
 * session back on the same thread. It may do so from inside {@link #send} or {@link #close} (a write that
 * completed at once): the session takes such calls without growing the stack.
 *
 * <p>The contract, in full:
 * <ul>
 *   <li>{@link #send}: write the plan's {@code head()}, then its {@code body()} parts in order (a
 *       {@code Bytes} part as it is; a {@code FileRegion} from its file, by sendfile when the data is
 *       resident or an asynchronous read first, or for a file opened O_DIRECT aligned reads through the
 *       file's backend), after every plan sent before it. Headers and small bodies of consecutive plans
 *       may leave in one writev. Once a plan's last byte has been handed to the kernel, call
 *       {@link HttpSession#sent}; then, if {@code plan.closeAfter()}, close gracefully (FIN after the
 *       queued bytes). If writing fails (peer reset, send timeout), call {@link HttpSession#sendFailed}
 *       for that plan with the body bytes that did go out; if a file region comes up short (the file was
 *       truncated or replaced), call {@link HttpSession#fileChanged} instead; then close the connection.</li>
 *   <li>{@link #pauseReading} / {@link #resumeReading}: stop and restart delivering input; input
 *       already read may still be delivered once after a pause.</li>
 *   <li>{@link #close}: graceful close after what is queued; {@link #abort}: close now, dropping what
 *       is queued, with a RST where the socket allows.</li>
 *   <li>Whatever ends the connection (either close, the peer, an error, the loop closing), call
 *       {@link HttpSession#closed()} once it is gone, after the {@code sent}/{@code sendFailed} calls
 *       for plans that finished; plans not finished by then are released by the session.</li>
 *   <li>The send timeout ({@code ServerOptions.sendTimeout()}: no write progress for that long) is the
 *       transport's to enforce, as is {@code maxConnections}.</li>
 * </ul>
 */
public interface HttpTransport {
    void send(ResponsePlan plan);

    void pauseReading();

    void resumeReading();

    void close();

    void abort();
}
