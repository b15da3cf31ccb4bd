package io.fdloop.cli.bench.http;

/**
 * The Lua scripts bench gives wrk: each reports through {@code done()} one line of exact numbers
 * ({@link WrkResult#LINE_PREFIX}), rather than the rounded, unit-suffixed text wrk prints; the
 * pipelined case sends 16 requests at a time (TechEmpower's {@code pipeline.lua} shape); the cold
 * case walks through the corpus, asking for each file once, and stops once every request it
 * issued is a different file.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
final class WrkScript {
    private static final String REPORT = """
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("%s requests=%.0f duration_us=%.0f bytes=%.0f connect=%.0f read=%.0f write=%.0f \
            status=%.0f timeout=%.0f p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f\\n",
                summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
                latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
            end
            """.replace("%s requests", WrkResult.LINE_PREFIX + " requests");

    private WrkScript() {
    }

    /** Every request for {@code path}, {@code pipeline} at a time on each connection. */
    static String requests(String path, int pipeline) {
        if (pipeline == 1) {
            return "wrk.path = \"" + path + "\"\n" + REPORT;
        }
        return """
                init = function(args)
                  local r = {}
                  for i = 1, %d do
                    r[i] = wrk.format(nil, "%s")
                  end
                  pipelined = table.concat(r)
                end
                request = function()
                  return pipelined
                end
                """.formatted(pipeline, path) + REPORT;
    }

    /** Requests for {@code path}, each connection waiting {@code delayMs} before each: a light probe. */
    static String probe(String path, int delayMs) {
        return "wrk.path = \"" + path + "\"\ndelay = function()\n  return " + delayMs + "\nend\n" + REPORT;
    }

    /**
     * Requests for {@code cold/0.bin} to {@code cold/(files-1).bin} in turn; the thread stops
     * once {@code files - connections} responses are in, when the requests issued (those answered
     * and those in flight) number {@code files}: every file is asked for once at most.
     */
    static String cold(int files, int connections) {
        return """
                local issued = 0
                local answered = 0
                request = function()
                  local path = "/cold/" .. (issued %% %d) .. ".bin"
                  issued = issued + 1
                  return wrk.format(nil, path)
                end
                response = function(status, headers, body)
                  answered = answered + 1
                  if answered >= %d then
                    wrk.thread:stop()
                  end
                end
                """.formatted(files, files - connections) + REPORT;
    }
}
