package io.fdloop.cli.bench.net;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The arguments every peer server takes, as fdloop's own commands do: {@code --bind ADDRESS}
 * (default 127.0.0.1), {@code --port N} (0: any free one, printed once listening),
 * {@code --loops N} (event loop threads, default 1), {@code --root DIR} for the file servers, and
 * {@code --transport NAME} where a peer has more than one.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param bind      where to listen
 * @param loops     event loop threads
 * @param root      the directory a file server serves, or null
 * @param transport the transport asked for, or null
 */
public record ServerArgs(InetSocketAddress bind, int loops, Path root, String transport) {

    /** The arguments in {@code args}; IllegalArgumentException saying what is wrong. */
    public static ServerArgs parse(String[] args) {
        String host = "127.0.0.1", transport = null;
        int port = 0, loops = 1;
        Path root = null;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            try {
                switch (name) {
                    case "--bind" -> host = value;
                    case "--port" -> port = Integer.parseInt(value);
                    case "--loops" -> loops = Integer.parseInt(value);
                    case "--root" -> root = Path.of(value);
                    case "--transport" -> transport = value;
                    default -> throw new IllegalArgumentException("unknown option " + name
                            + "; known: --bind, --port, --loops, --root, --transport");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " needs a whole number, was " + value);
            }
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0 (any free port) to 65535, was " + port);
        }
        if (loops < 1 || loops > 1024) {
            throw new IllegalArgumentException("--loops must be 1 to 1024, was " + loops);
        }
        return new ServerArgs(new InetSocketAddress(host, port), loops, root, transport);
    }

    /** The line fdloop's echo-server prints once it listens, for the address actually bound. */
    public static String listeningLine(InetSocketAddress bound) {
        return "listening on " + hostPort(bound);
    }

    /** The line fdloop's serve prints once it listens. */
    public static String servingLine(Path root, InetSocketAddress bound) {
        return "serving " + root + " on http://" + hostPort(bound) + "/";
    }

    private static String hostPort(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
