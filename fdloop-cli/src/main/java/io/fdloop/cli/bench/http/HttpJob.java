package io.fdloop.cli.bench.http;

import io.fdloop.cli.bench.Units;

import java.util.List;
import java.util.Locale;

/**
 * One {@code bench --http} configuration, the same for every engine.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param cases       the cases, in order
 * @param connections wrk's connections (one wrk thread)
 * @param runtimeNs   measured time per case and engine (the cold case stops sooner once it has read its corpus)
 * @param warmupNs    an unmeasured wrk run first, per case and engine
 * @param coldBytes   bytes of 4 MiB files the cold case reads from, each at most once
 */
public record HttpJob(List<HttpCase> cases, int connections, long runtimeNs, long warmupNs, long coldBytes) {
    public static final long DEFAULT_COLD_BYTES = 4L << 30;

    public HttpJob {
        cases = List.copyOf(cases);
        if (connections < 1 || connections > 10_000) {
            throw new IllegalArgumentException("--connections must be 1 to 10000 for --http, was " + connections);
        }
        if (runtimeNs < 1_000_000_000L || warmupNs < 0) {
            throw new IllegalArgumentException("--http measures whole seconds: --runtime must be at least 1s, "
                    + "--warmup not negative");
        }
        if (coldBytes < (long) Corpus.COLD_FILE_BYTES * (connections + 1)) {
            throw new IllegalArgumentException("the cold corpus must hold more 4 MiB files than there are connections");
        }
    }

    public HttpJob(List<HttpCase> cases, int connections, long runtimeNs, long warmupNs) {
        this(cases, connections, runtimeNs, warmupNs, DEFAULT_COLD_BYTES);
    }

    String describe() {
        return String.format(Locale.ROOT, "static files over HTTP/1.1, wrk -t1 -c%d, %s per case after %s of warm-up",
                connections, Units.duration(runtimeNs), Units.duration(warmupNs));
    }
}
