package io.fdloop.cli.bench.http;

import io.fdloop.cli.bench.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --json} output of {@code bench --http}: one array, an object per engine and case,
 * with its ratios against its baselines in {@code vs}.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class HttpJson {
    private HttpJson() {
    }

    public static String format(List<HttpResult> results, String reproduce) {
        List<HttpRatio> ratios = HttpRatio.of(results);
        List<JsonObject> objects = new ArrayList<>();
        for (HttpResult r : results) {
            JsonObject o = new JsonObject()
                    .string("bench", "http")
                    .string("case", r.httpCase().cliName())
                    .string("engine", r.engine())
                    .integer("requests", r.wrk().requests())
                    .number("seconds", r.wrk().durationUs() / 1e6, 3)
                    .number("requests_per_s", r.wrk().requestsPerSecond(), 1)
                    .number("mb_per_s", r.wrk().megabytesPerSecond(), 2)
                    .number("p50_us", r.wrk().p50Us(), 1)
                    .number("p99_us", r.wrk().p99Us(), 1)
                    .number("p999_us", r.wrk().p999Us(), 1)
                    .number("max_us", r.wrk().maxUs(), 1)
                    .integer("socket_errors", r.wrk().socketErrors())
                    .integer("non_2xx", r.wrk().non2xx())
                    .number("server_cpu_us_per_req", r.serverCpuUsPerRequest(), 3)
                    .integer("server_threads", r.server().threads())
                    .integer("server_rss_bytes", r.server().rssBytes())
                    .number("server_core", r.serverUtilisation(), 3)
                    .number("load_core", r.loadUtilisation(), 3)
                    .number("server_core_others", r.contention().serverCoreOthers(), 3)
                    .number("load_core_others", r.contention().loadCoreOthers(), 3)
                    .string("flag", r.note().isEmpty() ? null : r.note())
                    .strings("server_command", r.serverCommand())
                    .string("reproduce", reproduce);
            if (r.probe() != null) {
                o.object("probe", new JsonObject()
                        .integer("requests", r.probe().requests())
                        .number("p50_us", r.probe().p50Us(), 1)
                        .number("p99_us", r.probe().p99Us(), 1)
                        .number("max_us", r.probe().maxUs(), 1)
                        .integer("errors", r.probe().socketErrors() + r.probe().non2xx()));
                o.integer("cold_files", r.coldFiles());
            }
            List<JsonObject> versus = new ArrayList<>();
            for (HttpRatio q : ratios) {
                if (q.engine() == r) {
                    versus.add(new JsonObject()
                            .string("engine", q.baseline().engine())
                            .number("requests_per_s", q.requestsPerSecond(), 3)
                            .number("mb_per_s", q.megabytesPerSecond(), 3)
                            .number("p50_us", q.p50(), 3)
                            .number("p99_us", q.p99(), 3)
                            .number("probe_p99_us", q.probeP99(), 3)
                            .number("server_cpu_us_per_req", q.cpuPerRequest(), 3)
                            .bool("both_measure_their_server", q.trustworthy()));
                }
            }
            if (!versus.isEmpty()) {
                o.objects("vs", versus);
            }
            objects.add(o);
        }
        return JsonObject.array(objects);
    }
}
