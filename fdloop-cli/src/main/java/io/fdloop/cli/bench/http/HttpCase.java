package io.fdloop.cli.bench.http;

import java.util.ArrayList;
import java.util.List;

/**
 * The cases of {@code bench --http}: hot files of four sizes on keep-alive connections, the 13-byte
 * file with 16 requests pipelined per connection (TechEmpower's plaintext shape), and cold 4 MiB
 * files read from disk while a second client measures a hot 4 KiB file's latency.
 *
 * <p><b>Immutable; thread-safe.</b>
 */
public enum HttpCase {
    HOT_13B("hot-13b", "/hot-13b.txt", 1),
    HOT_4K("hot-4k", "/hot-4k.bin", 1),
    HOT_64K("hot-64k", "/hot-64k.bin", 1),
    HOT_1M("hot-1m", "/hot-1m.bin", 1),
    PIPELINE_13B("pipeline-13b", "/hot-13b.txt", 16),
    COLD_4M("cold-4m", null, 1);

    private final String cliName;
    private final String path;
    private final int pipeline;

    HttpCase(String cliName, String path, int pipeline) {
        this.cliName = cliName;
        this.path = path;
        this.pipeline = pipeline;
    }

    public String cliName() {
        return cliName;
    }

    /** The file every request asks for; null for the cold case, whose requests go through the corpus. */
    public String path() {
        return path;
    }

    /** Requests each connection keeps in flight. */
    public int pipeline() {
        return pipeline;
    }

    public boolean cold() {
        return this == COLD_4M;
    }

    /** The cases named in {@code names} (null: every case), in the order given. */
    public static List<HttpCase> parseAll(List<String> names) {
        if (names == null) {
            return List.of(values());
        }
        List<HttpCase> cases = new ArrayList<>();
        for (String name : names) {
            cases.add(named(name.trim()));
        }
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("--cases names no case");
        }
        return cases;
    }

    public static HttpCase named(String name) {
        for (HttpCase c : values()) {
            if (c.cliName.equals(name)) {
                return c;
            }
        }
        List<String> known = new ArrayList<>();
        for (HttpCase c : values()) {
            known.add(c.cliName);
        }
        throw new IllegalArgumentException("unknown --http case " + name + "; known: " + String.join(", ", known));
    }
}
