package io.fdloop.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
                    Integer.toString(r.job().queueDepth()), Cells.fixed(r.iops(), 0), Cells.fixed(r.mibPerSecond(), 1),
                    Cells.latency(r.latency().p50Us()), Cells.latency(r.latency().p99Us()), Cells.latency(r.latency().p999Us()),
                    Cells.latency(r.latency().maxUs()), Cells.fixed(r.cpuUsPerOperation(), 2),
                    Cells.fixed(r.contextSwitchesPerOperation(), 3), Integer.toString(r.threads()),
                    Cells.fixed(r.allocatedBytesPerOperation(), 1)});
        }
        List<Ratio> ratios = Ratio.of(results);
        int separator = ratios.isEmpty() ? -1 : rows.size();
        for (Ratio q : ratios) {
            Job job = q.fdloop().job();
            rows.add(new String[]{q.name(), job.rw().fioName(), Units.bytes(job.blockSize()),
                    Integer.toString(job.queueDepth()), Cells.times(q.iops()), Cells.times(q.iops()), Cells.times(q.p50()),
                    Cells.times(q.p99()), Cells.times(q.p999()), Cells.times(q.max()), Cells.times(q.cpuPerOperation()),
                    Cells.times(q.contextSwitchesPerOperation()), "-", "-"});
        }
        return render(rows, separator);
    }

    private static String render(List<String[]> rows, int separator) {
        // text columns (engine, rw) to the left, numbers to the right
        return TextTable.render(rows, 2, separator < 0 ? Map.of()
                : Map.of(separator, "ratio fdloop/fio (above 1: fdloop has more)"));
    }
}
