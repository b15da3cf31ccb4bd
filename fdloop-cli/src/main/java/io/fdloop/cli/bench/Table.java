package io.fdloop.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The human output: one aligned table, a row per engine and queue depth, then a row per
 * fdloop/fio ratio.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class Table {
    private static final String[] HEADER = {"engine", "rw", "bs", "qd", "IOPS", "MiB/s", "p50 us", "p99 us",
            "p99.9 us", "max us", "CPU us/op", "ctx/op", "threads", "alloc B/op"};

    private Table() {
    }

    public static String format(List<Result> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Result r : results) {
            rows.add(new String[]{r.engine(), r.job().rw().fioName(), Units.bytes(r.job().blockSize()),
                    Integer.toString(r.job().queueDepth()), fixed(r.iops(), 0), fixed(r.mibPerSecond(), 1),
                    latency(r.latency().p50Us()), latency(r.latency().p99Us()), latency(r.latency().p999Us()),
                    latency(r.latency().maxUs()), fixed(r.cpuUsPerOperation(), 2),
                    fixed(r.contextSwitchesPerOperation(), 3), Integer.toString(r.threads()),
                    fixed(r.allocatedBytesPerOperation(), 1)});
        }
        List<Ratio> ratios = Ratio.of(results);
        int separator = ratios.isEmpty() ? -1 : rows.size();
        for (Ratio q : ratios) {
            Job job = q.fdloop().job();
            rows.add(new String[]{q.name(), job.rw().fioName(), Units.bytes(job.blockSize()),
                    Integer.toString(job.queueDepth()), times(q.iops()), times(q.iops()), times(q.p50()),
                    times(q.p99()), times(q.p999()), times(q.max()), times(q.cpuPerOperation()),
                    times(q.contextSwitchesPerOperation()), "-", "-"});
        }
        return render(rows, separator);
    }

    private static String render(List<String[]> rows, int separator) {
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            if (r == separator) {
                out.append("ratio fdloop/fio (above 1: fdloop has more)\n");
            }
            String[] row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                // text columns (engine, rw) to the left, numbers to the right
                String pad = " ".repeat(widths[i] - row[i].length());
                line.append(i < 2 ? row[i] + pad : pad + row[i]);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String fixed(double value, int decimals) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "-"
                : String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    /** Two decimals under 10 us, one under 1000, none above. */
    private static String latency(double us) {
        return fixed(us, us < 10 ? 2 : us < 1000 ? 1 : 0);
    }

    private static String times(double ratio) {
        return Double.isNaN(ratio) || Double.isInfinite(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio);
    }
}
