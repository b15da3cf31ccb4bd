package io.fdloop.cli;

import io.fdloop.EventLoop;
import io.fdloop.EventLoopGroup;
import io.fdloop.Signal;
import io.fdloop.cli.bench.Units;
import io.fdloop.http.HttpServer;
import io.fdloop.http.ServerOptions;
import io.fdloop.net.NetMechanism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * {@code fdloop serve}: the static-file server on N loops sharing the port, until SIGINT or SIGTERM; then
 * it stops gracefully (stop accepting, finish the responses in flight) and exits 0. SIGHUP reopens the
 * access log.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the files under a directory over HTTP/1.1 on fdloop's loops until SIGINT/SIGTERM;"
                + " prints 'serving DIR on http://HOST:PORT/' once ready. SIGHUP reopens the access log."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--root", description = "The directory to serve (default: the working directory).", defaultValue = ".")
    Path root;

    @Option(names = "--bind", description = "Address to listen on (default ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String bind;

    @Option(names = "--port", description = "Port; 0 picks a free one (default ${DEFAULT-VALUE}).", defaultValue = "8080")
    int port;

    @Option(names = "--loops", description = "Event loops, one thread each (default: one per available processor).")
    Integer loops;

    @Option(names = "--directio", paramLabel = "SIZE",
            description = "Read files of at least SIZE (4m, 512k, ...) with O_DIRECT through asynchronous I/O, as nginx's"
                    + " directio; off by default.", defaultValue = "off")
    String directio;

    @Option(names = "--access-log", paramLabel = "FILE", description = "Write a combined-format access log to FILE.")
    Path accessLog;

    @Option(names = "--listing", description = "List directories that have no index.html (default: 403).")
    boolean listing;

    @Option(names = "--keepalive-requests", paramLabel = "N",
            description = "Requests served on one connection before it is closed, as nginx's keepalive_requests"
                    + " (default ${DEFAULT-VALUE}).", defaultValue = "1000")
    int keepAliveRequests;

    @Option(names = "--mechanism", description = "How sockets reach the kernel: auto, epoll or uring (default ${DEFAULT-VALUE}).",
            defaultValue = "auto")
    String mechanism;

    @Override
    public Integer call() throws IOException, InterruptedException {
        NetMechanism choice = mechanism(mechanism);
        if (choice == null) {
            return 2;
        }
        if (!choice.isAvailable()) {
            System.err.println("fdloop serve: --mechanism " + mechanism + " is unavailable here: " + choice.unavailabilityCause());
            return 2;
        }
        ServerOptions options;
        try {
            ServerOptions.Builder builder = ServerOptions.builder(root.toAbsolutePath().normalize())
                    .bindHost(bind).port(port).directIoThreshold(directIoThreshold(directio)).listing(listing)
                    .accessLog(accessLog == null ? null : accessLog.toAbsolutePath()).mechanism(choice)
                    .keepAliveRequests(keepAliveRequests);
            if (loops != null) {
                builder.loops(loops);
            }
            options = builder.build();
        } catch (IllegalArgumentException e) {
            System.err.println("fdloop serve: " + e.getMessage());
            return 2;
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (EventLoopGroup group = EventLoopGroup.start(options.loops())) {
            HttpServer server;
            try {
                server = HttpServer.start(group, options);
            } catch (IOException e) {
                System.err.println("fdloop serve: " + (e.getMessage() != null ? e.getMessage() : Errors.reason(e)));
                return 1;
            }
            EventLoop signals = group.loops().getFirst();
            signals.onSignal(Signal.TERM, stop::countDown);
            signals.onSignal(Signal.INT, stop::countDown);
            signals.onSignal(Signal.HUP, server::reopenAccessLog);
            InetSocketAddress bound = server.localAddress();
            String host = bound.getAddress() instanceof Inet6Address
                    ? "[" + bound.getAddress().getHostAddress() + "]" : bound.getAddress().getHostAddress();
            System.out.println("serving " + options.root() + " on http://" + host + ":" + bound.getPort() + "/");
            System.out.flush();
            stop.await();
            server.close();
        }
        return 0;
    }

    /** The mechanism named, or null after saying why there is none by that name in this build. */
    private static NetMechanism mechanism(String name) {
        String wanted = name.trim().toUpperCase(Locale.ROOT);
        for (NetMechanism m : NetMechanism.values()) {
            if (m.name().equals(wanted)) {
                return m;
            }
        }
        String known = Arrays.stream(NetMechanism.values()).map(m -> m.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        System.err.println("fdloop serve: --mechanism must be one of " + known + ", was " + name);
        return null;
    }

    /** {@code off} or {@code 0}: no direct I/O; else a size as fio writes it. */
    private static long directIoThreshold(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("off") || t.equals("0")) {
            return 0;
        }
        try {
            return Units.parseSize(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--directio takes off or a size such as 4m or 512k, was " + text);
        }
    }
}
