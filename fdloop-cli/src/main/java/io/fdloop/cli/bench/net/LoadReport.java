package io.fdloop.cli.bench.net;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the load generator measured, as the one line it prints at the end
 * ({@code result ops=N window_ns=N ...}) and as the harness reads it back.
 *
 * <p>The other lines of the protocol, in order: {@value #CONNECTED} once every connection is open,
 * {@value #MEASURING} when the window opens, {@value #MEASURED} when it closes, then the result;
 * {@value #ERROR_PREFIX}{@code message} instead when the run failed. In idle mode:
 * {@value #IDLE_OPEN}{@code N} once N idle connections have each echoed a message, then it
 * holds them until a line (or the end of input) arrives on its standard input.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param operations messages echoed and checked within the window
 * @param windowNs   the window's length
 * @param bytes      bytes echoed within the window (each way)
 * @param p50Ns      median latency, from queueing a message to its last byte back
 * @param p99Ns      99th percentile
 * @param p999Ns     99.9th percentile
 * @param maxNs      the slowest
 * @param cpuNs      the load generator's own CPU time (user + system) within the window
 */
record LoadReport(long operations, long windowNs, long bytes, long p50Ns, long p99Ns, long p999Ns, long maxNs,
                  long cpuNs) {
    static final String CONNECTED = "connected";
    static final String MEASURING = "measuring";
    static final String MEASURED = "measured";
    static final String RESULT_PREFIX = "result ";
    static final String ERROR_PREFIX = "error ";
    static final String IDLE_OPEN = "idle-open ";

    String format() {
        return String.format(Locale.ROOT, "%sops=%d window_ns=%d bytes=%d p50_ns=%d p99_ns=%d p999_ns=%d max_ns=%d cpu_ns=%d",
                RESULT_PREFIX, operations, windowNs, bytes, p50Ns, p99Ns, p999Ns, maxNs, cpuNs);
    }

    /** The report in a {@code result ...} line; IllegalArgumentException when the line is not one. */
    static LoadReport parse(String line) {
        if (!line.startsWith(RESULT_PREFIX)) {
            throw new IllegalArgumentException("not a result line: " + line);
        }
        Map<String, Long> values = new HashMap<>();
        for (String pair : line.substring(RESULT_PREFIX.length()).trim().split(" +")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a result line holds key=value pairs, not " + pair);
            }
            try {
                values.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number in the result line: " + pair);
            }
        }
        return new LoadReport(get(values, "ops"), get(values, "window_ns"), get(values, "bytes"), get(values, "p50_ns"),
                get(values, "p99_ns"), get(values, "p999_ns"), get(values, "max_ns"), get(values, "cpu_ns"));
    }

    /** Messages per second within the window. */
    double requestsPerSecond() {
        return windowNs <= 0 ? 0 : operations * 1e9 / windowNs;
    }

    /** The load generator's core utilisation within the window (1.0: its core was busy all the time). */
    double coreUtilisation() {
        return windowNs <= 0 ? Double.NaN : (double) cpuNs / windowNs;
    }

    private static long get(Map<String, Long> values, String key) {
        Long value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("the result line has no " + key);
        }
        return value;
    }
}
