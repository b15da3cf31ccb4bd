package io.fdloop.cli.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --json} output: one array, one object per engine and queue depth. An fdloop engine
 * run beside its fio peer carries the ratios in {@code vs_fio}.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class JsonReport {
    private JsonReport() {
    }

    public static String format(List<Result> results) {
        List<Ratio> ratios = Ratio.of(results);
        List<JsonObject> objects = new ArrayList<>();
        for (Result r : results) {
            Job job = r.job();
            JsonObject o = new JsonObject()
                    .string("engine", r.engine())
                    .string("rw", job.rw().fioName())
                    .integer("bs", job.blockSize())
                    .integer("qd", job.queueDepth())
                    .bool("direct", job.direct())
                    .bool("verify", job.verify())
                    .integer("ops", r.operations())
                    .number("seconds", r.seconds(), 3)
                    .number("iops", r.iops(), 1)
                    .number("mib_s", r.mibPerSecond(), 2)
                    .number("p50_us", r.latency().p50Us(), 3)
                    .number("p99_us", r.latency().p99Us(), 3)
                    .number("p999_us", r.latency().p999Us(), 3)
                    .number("max_us", r.latency().maxUs(), 3)
                    .number("cpu_us_per_op", r.cpuUsPerOperation(), 4)
                    .number("ctx_per_op", r.contextSwitchesPerOperation(), 5)
                    .integer("threads", r.threads())
                    .number("alloc_b_per_op", r.allocatedBytesPerOperation(), 3);
            if (r.fioClat() != null) {
                o.number("clat_p50_us", r.fioClat().p50Us(), 3)
                        .number("clat_p99_us", r.fioClat().p99Us(), 3)
                        .number("clat_p999_us", r.fioClat().p999Us(), 3)
                        .number("clat_max_us", r.fioClat().maxUs(), 3);
            }
            Ratio ratio = Ratio.find(ratios, r);
            if (ratio != null) {
                o.object("vs_fio", new JsonObject()
                        .string("engine", ratio.fio().engine())
                        .number("iops", ratio.iops(), 3)
                        .number("p50_us", ratio.p50(), 3)
                        .number("p99_us", ratio.p99(), 3)
                        .number("p999_us", ratio.p999(), 3)
                        .number("cpu_us_per_op", ratio.cpuPerOperation(), 3)
                        .number("ctx_per_op", ratio.contextSwitchesPerOperation(), 3));
            }
            objects.add(o);
        }
        return JsonObject.array(objects);
    }
}
