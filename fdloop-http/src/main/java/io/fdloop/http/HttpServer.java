package io.fdloop.http;

import io.fdloop.EventLoopGroup;
import io.fdloop.internal.http.transport.ServerRuntime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A static-file HTTP/1.1 server on fdloop's event loops: one listener per loop sharing the port
 * ({@code SO_REUSEPORT}), every connection served on the loop that accepted it, files sent from the page
 * cache without copying or read asynchronously (O_DIRECT at and above {@link ServerOptions#directIoThreshold()}),
 * never blocking a loop on the disk.
 *
 * <p><b>Thread-safe</b>: every method may be called from any thread, except that {@link #start} and
 * {@link #close} wait for the loops and so must not be called from one of the server's own loop threads.
 *
 * <pre>{@code
 * try (HttpServer server = HttpServer.start(ServerOptions.builder(Path.of("/srv/www")).port(8080).build())) {
 *     System.out.println("serving on " + server.localAddress());
 *     ...                                   // until it is time to stop
 * }                                         // graceful: stop accepting, finish the responses in flight
 * }</pre>
 *
 * <p>Stopping ({@link #shutdown()}, or {@link #close()}, which waits for it): the listeners close; requests
 * parsed from then on are answered with {@code Connection: close}; idle connections close at once and busy
 * ones after their queued responses; whatever is still open after {@link ServerOptions#shutdownTimeout()}
 * is reset; the access log is flushed and closed; the loops close if the server made them.
 */
public final class HttpServer implements AutoCloseable {
    private final ServerRuntime runtime;
    private final ServerOptions options;

    private HttpServer(ServerRuntime runtime, ServerOptions options) {
        this.runtime = runtime;
        this.options = options;
    }

    /**
     * Starts a server on {@link ServerOptions#loops()} loops of its own, which it closes when it stops.
     * Any thread.
     *
     * @param options the root and every other setting
     * @return the server, accepting connections
     * @throws IOException when the root cannot be served (missing, not a directory), the address cannot be
     *                     bound, the access log cannot be opened, or the socket mechanism is unavailable here
     */
    public static HttpServer start(ServerOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        EventLoopGroup loops = EventLoopGroup.start(options.loops());
        try {
            return new HttpServer(ServerRuntime.start(loops, true, options), options);
        } catch (IOException | RuntimeException e) {
            loops.close();
            throw e;
        }
    }

    /**
     * Starts a server on the loops of {@code loops} (one listener each; {@link ServerOptions#loops()} is not
     * used); the loops stay the caller's and stay open when the server stops. Any thread except those loops.
     *
     * @param loops   the loops to serve on
     * @param options the root and every other setting
     * @return the server, accepting connections
     * @throws IOException as {@link #start(ServerOptions)}
     */
    public static HttpServer start(EventLoopGroup loops, ServerOptions options) throws IOException {
        Objects.requireNonNull(loops, "loops");
        Objects.requireNonNull(options, "options");
        return new HttpServer(ServerRuntime.start(loops, false, options), options);
    }

    /**
     * The address the server listens on: the real port when port 0 was asked for. Any thread.
     *
     * @return the bound address
     */
    public InetSocketAddress localAddress() {
        return runtime.localAddress();
    }

    /**
     * The settings it runs with. Any thread.
     *
     * @return the options
     */
    public ServerOptions options() {
        return options;
    }

    /**
     * Connections open now, over all loops. Any thread.
     *
     * @return the count
     */
    public int openConnections() {
        return runtime.openConnections();
    }

    /**
     * Connections refused so far because {@link ServerOptions#maxConnections()} were open. Any thread.
     *
     * @return the count
     */
    public long refusedConnections() {
        return runtime.refusedConnections();
    }

    /**
     * Reopens the access log's path on every loop, as nginx does on SIGHUP after a log rotation renamed the
     * file: lines already buffered go to the old file, later ones to the new. Without an access log, does
     * nothing. Any thread.
     */
    public void reopenAccessLog() {
        runtime.reopenAccessLog();
    }

    /**
     * Starts the graceful stop (see the class comment) once; later calls return the same future. Any thread.
     *
     * @return a future completed once the server has stopped
     */
    public CompletableFuture<Void> shutdown() {
        return runtime.shutdown();
    }

    /** Stops gracefully and waits until it has stopped. Idempotent. Any thread except the server's loops. */
    @Override
    public void close() {
        shutdown().join();
    }

    @Override
    public String toString() {
        return runtime.toString();
    }
}
