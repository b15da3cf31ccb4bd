package io.fdloop.cli.bench.net;

import io.fdloop.cli.bench.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --json} output of {@code bench --net echo}: one array, an object per engine, with its
 * ratio against its baseline in {@code vs_baseline} when that ran.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class EchoJson {
    private EchoJson() {
    }

    public static String format(List<EchoResult> results, String reproduce) {
        List<EchoRatio> ratios = EchoRatio.of(results);
        List<JsonObject> objects = new ArrayList<>();
        for (EchoResult r : results) {
            EchoJob job = r.job();
            JsonObject o = new JsonObject()
                    .string("bench", "net-echo")
                    .string("engine", r.engine())
                    .integer("connections", job.connections())
                    .integer("size", job.size())
                    .integer("pipeline", job.pipeline())
                    .integer("ops", r.load().operations())
                    .number("seconds", r.load().windowNs() / 1e9, 3)
                    .number("requests_per_s", r.requestsPerSecond(), 1)
                    .number("mb_per_s", r.megabytesPerSecond(), 2)
                    .number("p50_us", r.load().p50Ns() / 1e3, 3)
                    .number("p99_us", r.load().p99Ns() / 1e3, 3)
                    .number("p999_us", r.load().p999Ns() / 1e3, 3)
                    .number("max_us", r.load().maxNs() / 1e3, 3)
                    .number("server_cpu_us_per_req", r.serverCpuUsPerRequest(), 4)
                    .number("server_ctx_per_req", r.serverContextSwitchesPerRequest(), 5)
                    .integer("server_threads", r.server().threads())
                    .integer("server_rss_bytes", r.server().rssBytes())
                    .number("server_core", r.serverUtilisation(), 3)
                    .number("load_core", r.loadUtilisation(), 3)
                    .number("server_core_others", r.contention().serverCoreOthers(), 3)
                    .number("load_core_others", r.contention().loadCoreOthers(), 3)
                    .number("idle_bytes_per_conn", r.idleBytesPerConnection(), 1)
                    .string("idle_note", r.idleNote())
                    .string("flag", r.note().isEmpty() ? null : r.note())
                    .strings("server_command", r.serverCommand())
                    .string("reproduce", reproduce);
            for (EchoRatio q : ratios) {
                if (q.engine() == r) {
                    o.object("vs_baseline", new JsonObject()
                            .string("engine", q.baseline().engine())
                            .number("requests_per_s", q.requestsPerSecond(), 3)
                            .number("p50_us", q.p50(), 3)
                            .number("p99_us", q.p99(), 3)
                            .number("p999_us", q.p999(), 3)
                            .number("server_cpu_us_per_req", q.cpuPerRequest(), 3)
                            .number("server_ctx_per_req", q.contextSwitchesPerRequest(), 3)
                            .number("idle_bytes_per_conn", q.idleMemory(), 3)
                            .bool("both_servers_saturated", q.trustworthy()));
                }
            }
            objects.add(o);
        }
        return JsonObject.array(objects);
    }
}
