package io.fdloop.internal.http;

import io.fdloop.EventLoop;
import io.fdloop.http.ServerOptions;
import io.fdloop.internal.http.files.FileLookups;
import io.fdloop.internal.http.log.AccessLogWriter;
import io.fdloop.internal.http.log.CombinedLogFormat;
import io.fdloop.internal.http.log.LogTime;
import io.fdloop.internal.http.response.ResponsePlanner;

/**
 * What the sessions of one loop share: the options, the file lookups (and their open-file cache), the
 * response planner, and the access log.
 *
 * <p><b>Loop thread only.</b>
 */
public final class ServerContext {
    private final ServerOptions options;
    private final FileLookups lookups;
    private final ResponsePlanner planner;
    private final AccessLogWriter accessLog;
    private final LogTime logTime;
    private final CombinedLogFormat line = new CombinedLogFormat();
    private boolean draining;

    /**
     * @param accessLog the loop's access log writer, or null for none
     */
    public ServerContext(ServerOptions options, FileLookups lookups, ResponsePlanner planner,
                         AccessLogWriter accessLog, LogTime logTime) {
        this.options = options;
        this.lookups = lookups;
        this.planner = planner;
        this.accessLog = accessLog;
        this.logTime = logTime;
    }

    public ServerOptions options() {
        return options;
    }

    public EventLoop loop() {
        return lookups.loop();
    }

    public FileLookups lookups() {
        return lookups;
    }

    public ResponsePlanner planner() {
        return planner;
    }

    /** The loop's access log writer, or null. */
    public AccessLogWriter accessLog() {
        return accessLog;
    }

    /** Whether the server is shutting down ({@link #drain()}). Loop thread only. */
    public boolean draining() {
        return draining;
    }

    /**
     * Graceful shutdown: a request parsed from now on is answered with {@code Connection: close}. Requests
     * already queued are still answered as planned (a response marked close would drop those behind it);
     * {@link HttpSession#shutdown()} then closes each connection after its last queued response. Loop
     * thread only.
     */
    public void drain() {
        draining = true;
    }

    /** Writes one access log line, if there is a log. Loop thread only. */
    void log(String remoteAddress, String requestLine, int status, long bodyBytes, String referer, String userAgent) {
        if (accessLog != null) {
            accessLog.append(line.format(remoteAddress, logTime.now(), requestLine, status, bodyBytes, referer, userAgent));
        }
    }
}
