package io.fdloop.cli.bench.net;

import io.fdloop.cli.bench.Cells;
import io.fdloop.cli.bench.TextTable;
import io.fdloop.cli.bench.proc.Saturation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The human output of {@code bench --net echo}: a row per engine, then a ratio row per engine
 * against its baseline (fdloop-epoll against netty-epoll, fdloop-uring against netty-uring, the
 * others against netty-epoll), then the notes that say which figures measure the load rather
 * than the server.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class EchoTable {
    private static final String[] HEADER = {"engine", "req/s", "MB/s", "p50 us", "p99 us", "p99.9 us",
            "srv CPU us/req", "srv ctx/req", "srv threads", "srv core", "load core", "idle KiB/conn", "flag"};

    private EchoTable() {
    }

    public static String format(List<EchoResult> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        List<String> notes = new ArrayList<>();
        for (EchoResult r : results) {
            String note = r.note();
            if (!note.isEmpty()) {
                notes.add(r.engine() + ": " + note);
            }
            if (r.idleNote() != null) {
                notes.add(r.engine() + ": idle memory not measured: " + r.idleNote());
            }
            rows.add(new String[]{r.engine(), Cells.fixed(r.requestsPerSecond(), 0), Cells.fixed(r.megabytesPerSecond(), 1),
                    Cells.latency(r.load().p50Ns() / 1e3), Cells.latency(r.load().p99Ns() / 1e3),
                    Cells.latency(r.load().p999Ns() / 1e3), Cells.fixed(r.serverCpuUsPerRequest(), 2),
                    Cells.fixed(r.serverContextSwitchesPerRequest(), 3), Integer.toString(r.server().threads()),
                    Saturation.percent(r.serverUtilisation()), Saturation.percent(r.loadUtilisation()),
                    Cells.fixed(r.idleBytesPerConnection() / 1024, 2), r.flag()});
        }
        Map<Integer, String> headings = new HashMap<>();
        List<EchoRatio> ratios = EchoRatio.of(results);
        if (!ratios.isEmpty()) {
            headings.put(rows.size(), "ratio against the baseline (req/s above 1: more; latency, CPU, switches and memory below 1: less)");
        }
        for (EchoRatio q : ratios) {
            rows.add(new String[]{q.name(), Cells.times(q.requestsPerSecond()), Cells.times(q.requestsPerSecond()),
                    Cells.times(q.p50()), Cells.times(q.p99()), Cells.times(q.p999()), Cells.times(q.cpuPerRequest()),
                    Cells.times(q.contextSwitchesPerRequest()), "-", "-", "-", Cells.times(q.idleMemory()),
                    q.trustworthy() ? "" : "see notes"});
        }
        StringBuilder out = new StringBuilder(TextTable.render(rows, 1, headings));
        for (String note : notes) {
            out.append("note: ").append(note).append('\n');
        }
        return out.toString();
    }
}
