package io.fdloop.cli.bench.net;

import io.fdloop.cli.bench.Units;

import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * One {@code bench --net echo} configuration, the same for every engine.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param connections      load connections
 * @param size             bytes per message
 * @param pipeline         messages each connection keeps in flight
 * @param warmupNs         unmeasured time first
 * @param runtimeNs        measured time
 * @param idleConnections  idle connections opened afterwards to measure memory per connection, or 0
 */
public record EchoJob(int connections, int size, int pipeline, long warmupNs, long runtimeNs, int idleConnections) {
    public EchoJob {
        // the load generator's own checks, so that bad input fails here with the same words
        new LoadOptions(new InetSocketAddress("127.0.0.1", 1), connections, size, pipeline, warmupNs,
                runtimeNs, idleConnections);
    }

    /** Bytes of the messages in flight on one connection. */
    long bytesInFlightPerConnection() {
        return (long) size * pipeline;
    }

    String describe() {
        return String.format(Locale.ROOT, "echo, messages of %d bytes, %d connections, pipeline %d, %s per engine after %s of warm-up",
                size, connections, pipeline, Units.duration(runtimeNs), Units.duration(warmupNs));
    }
}
