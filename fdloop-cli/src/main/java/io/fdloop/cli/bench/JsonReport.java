package io.fdloop.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
        List<String> objects = new ArrayList<>();
        for (Result r : results) {
            Job job = r.job();
            StringBuilder o = new StringBuilder("{");
            field(o, "engine", quote(r.engine()));
            field(o, "rw", quote(job.rw().fioName()));
            field(o, "bs", Integer.toString(job.blockSize()));
            field(o, "qd", Integer.toString(job.queueDepth()));
            field(o, "direct", Boolean.toString(job.direct()));
            field(o, "verify", Boolean.toString(job.verify()));
            field(o, "ops", Long.toString(r.operations()));
            field(o, "seconds", number(r.seconds(), 3));
            field(o, "iops", number(r.iops(), 1));
            field(o, "mib_s", number(r.mibPerSecond(), 2));
            field(o, "p50_us", number(r.latency().p50Us(), 3));
            field(o, "p99_us", number(r.latency().p99Us(), 3));
            field(o, "p999_us", number(r.latency().p999Us(), 3));
            field(o, "max_us", number(r.latency().maxUs(), 3));
            field(o, "cpu_us_per_op", number(r.cpuUsPerOperation(), 4));
            field(o, "ctx_per_op", number(r.contextSwitchesPerOperation(), 5));
            field(o, "threads", Integer.toString(r.threads()));
            field(o, "alloc_b_per_op", number(r.allocatedBytesPerOperation(), 3));
            if (r.fioClat() != null) {
                field(o, "clat_p50_us", number(r.fioClat().p50Us(), 3));
                field(o, "clat_p99_us", number(r.fioClat().p99Us(), 3));
                field(o, "clat_p999_us", number(r.fioClat().p999Us(), 3));
                field(o, "clat_max_us", number(r.fioClat().maxUs(), 3));
            }
            Ratio ratio = Ratio.find(ratios, r);
            if (ratio != null) {
                StringBuilder v = new StringBuilder("{");
                field(v, "engine", quote(ratio.fio().engine()));
                field(v, "iops", number(ratio.iops(), 3));
                field(v, "p50_us", number(ratio.p50(), 3));
                field(v, "p99_us", number(ratio.p99(), 3));
                field(v, "p999_us", number(ratio.p999(), 3));
                field(v, "cpu_us_per_op", number(ratio.cpuPerOperation(), 3));
                field(v, "ctx_per_op", number(ratio.contextSwitchesPerOperation(), 3));
                field(o, "vs_fio", v.append('}').toString());
            }
            objects.add(o.append('}').toString());
        }
        return objects.isEmpty() ? "[]\n" : "[\n  " + String.join(",\n  ", objects) + "\n]\n";
    }

    private static void field(StringBuilder object, String name, String value) {
        if (object.length() > 1) {
            object.append(", ");
        }
        object.append('"').append(name).append("\": ").append(value);
    }

    private static String number(double value, int decimals) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "null"
                : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
