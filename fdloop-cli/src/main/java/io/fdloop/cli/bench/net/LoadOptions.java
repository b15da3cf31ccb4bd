package io.fdloop.cli.bench.net;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What one run of the echo load generator does: where it connects, with how many connections,
 * how many messages of what size each keeps in flight, and for how long; or, with
 * {@code idle > 0}, how many idle connections it opens and holds.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param server      the echo server
 * @param connections connections that carry the load
 * @param size        bytes per message
 * @param pipeline    messages each connection keeps in flight
 * @param warmupNs    unmeasured time first
 * @param runtimeNs   measured time
 * @param idle        idle connections to open and hold instead of a load, or 0
 */
record LoadOptions(InetSocketAddress server, int connections, int size, int pipeline, long warmupNs, long runtimeNs,
                   int idle) {
    static final int MAX_CONNECTIONS = 100_000;
    static final int MAX_SIZE = 16 << 20;
    static final int MAX_PIPELINE = 1024;

    LoadOptions {
        check(connections >= 1 && connections <= MAX_CONNECTIONS, "--connections must be 1 to " + MAX_CONNECTIONS
                + ", was " + connections);
        check(size >= 1 && size <= MAX_SIZE, "--size must be 1 byte to 16m, was " + size);
        check(pipeline >= 1 && pipeline <= MAX_PIPELINE, "--pipeline must be 1 to " + MAX_PIPELINE + ", was " + pipeline);
        check(warmupNs >= 0 && runtimeNs > 0, "the run time must be positive and the warm-up not negative");
        check(idle >= 0 && idle <= MAX_CONNECTIONS, "--idle-connections must be 0 to " + MAX_CONNECTIONS + ", was " + idle);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The command-line arguments {@link EchoLoad} parses back into these options. */
    List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of("--host", server.getHostString(), "--port",
                Integer.toString(server.getPort()), "--connections", Integer.toString(connections), "--size",
                Integer.toString(size), "--pipeline", Integer.toString(pipeline), "--warmup-ms",
                Long.toString(TimeUnit.NANOSECONDS.toMillis(warmupNs)), "--runtime-ms",
                Long.toString(TimeUnit.NANOSECONDS.toMillis(runtimeNs))));
        if (idle > 0) {
            args.addAll(List.of("--idle", Integer.toString(idle)));
        }
        return args;
    }

    /** The options in {@code args} as {@link #toArgs} writes them; IllegalArgumentException naming what is wrong. */
    static LoadOptions parse(String[] args) {
        String host = "127.0.0.1";
        int port = -1, connections = 64, size = 64, pipeline = 1, idle = 0;
        long warmupMs = 0, runtimeMs = 1000;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            try {
                switch (name) {
                    case "--host" -> host = value;
                    case "--port" -> port = Integer.parseInt(value);
                    case "--connections" -> connections = Integer.parseInt(value);
                    case "--size" -> size = Integer.parseInt(value);
                    case "--pipeline" -> pipeline = Integer.parseInt(value);
                    case "--warmup-ms" -> warmupMs = Long.parseLong(value);
                    case "--runtime-ms" -> runtimeMs = Long.parseLong(value);
                    case "--idle" -> idle = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + name + "; known: --host, --port, "
                            + "--connections, --size, --pipeline, --warmup-ms, --runtime-ms, --idle");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " needs a whole number, was " + value);
            }
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port must be 1 to 65535 (the server's), was " + port);
        }
        return new LoadOptions(new InetSocketAddress(host, port), connections, size, pipeline,
                TimeUnit.MILLISECONDS.toNanos(warmupMs), TimeUnit.MILLISECONDS.toNanos(runtimeMs), idle);
    }
}
