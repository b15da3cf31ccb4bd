package io.fdloop.cli.bench.http;

import java.util.HashMap;
import java.util.Map;

/**
 * What one wrk run reported, read from the line its {@code done()} script prints
 * ({@code fdloop-wrk requests=N duration_us=N bytes=N connect=N read=N write=N status=N timeout=N
 * p50_us=X p99_us=X p999_us=X max_us=X}).
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param requests   responses completed
 * @param durationUs how long wrk ran, microseconds
 * @param bytes      bytes read from the server
 * @param socketErrors connect, read, write and timeout errors together
 * @param non2xx     responses whose status was not 2xx or 3xx
 * @param p50Us      median latency
 * @param p99Us      99th percentile
 * @param p999Us     99.9th percentile
 * @param maxUs      the slowest
 */
public record WrkResult(long requests, long durationUs, long bytes, long socketErrors, long non2xx, double p50Us,
                        double p99Us, double p999Us, double maxUs) {
    static final String LINE_PREFIX = "fdloop-wrk";

    /** The result in wrk's output {@code text}; IllegalArgumentException when it has no report line. */
    public static WrkResult parse(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith(LINE_PREFIX + " ")) {
                return parseLine(line.substring(LINE_PREFIX.length() + 1));
            }
        }
        throw new IllegalArgumentException("wrk printed no " + LINE_PREFIX + " line (was the done() script run?): "
                + text.strip());
    }

    private static WrkResult parseLine(String line) {
        Map<String, Double> values = new HashMap<>();
        for (String pair : line.trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("wrk's report holds key=value pairs, not " + pair);
            }
            try {
                values.put(pair.substring(0, eq), Double.parseDouble(pair.substring(eq + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number in wrk's report: " + pair);
            }
        }
        double p50 = known(get(values, "p50_us"), 0);
        return new WrkResult((long) get(values, "requests"), (long) get(values, "duration_us"), (long) get(values, "bytes"),
                (long) (get(values, "connect") + get(values, "read") + get(values, "write") + get(values, "timeout")),
                (long) get(values, "status"), p50, known(get(values, "p99_us"), p50), known(get(values, "p999_us"), p50),
                get(values, "max_us"));
    }

    /**
     * A percentile as wrk gave it, or NaN where wrk gave 0, or less than {@code below}: its
     * histogram answers 0 for a percentile it has too few samples for, which happens when
     * pipelining (it records one latency per batch of pipelined requests) and for a slow probe.
     */
    private static double known(double percentile, double below) {
        return percentile <= 0 || percentile < below ? Double.NaN : percentile;
    }

    public double requestsPerSecond() {
        return durationUs <= 0 ? 0 : requests * 1e6 / durationUs;
    }

    /** Megabytes (10^6) per second read from the server. */
    public double megabytesPerSecond() {
        return durationUs <= 0 ? 0 : (double) bytes / durationUs;
    }

    public boolean hasErrors() {
        return socketErrors > 0 || non2xx > 0;
    }

    private static double get(Map<String, Double> values, String key) {
        Double value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("wrk's report has no " + key);
        }
        return value;
    }
}
