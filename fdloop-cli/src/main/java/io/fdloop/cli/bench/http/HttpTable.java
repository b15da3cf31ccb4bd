package io.fdloop.cli.bench.http;

import io.fdloop.cli.bench.Cells;
import io.fdloop.cli.bench.TextTable;
import io.fdloop.cli.bench.proc.Saturation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The human output of {@code bench --http}: per case, a row per engine, then the ratio rows
 * (fdloop against nginx, jwebserver and netty-http; the peers against nginx), then the notes that
 * say which figures do not measure the server.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class HttpTable {
    private static final String[] HEADER = {"case", "engine", "req/s", "MB/s", "p50 us", "p99 us", "probe p99 us",
            "srv CPU us/req", "srv threads", "srv core", "load core", "errors", "flag"};

    private HttpTable() {
    }

    public static String format(List<HttpResult> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        Map<Integer, String> headings = new HashMap<>();
        List<String> notes = new ArrayList<>();
        List<HttpCase> cases = new ArrayList<>();
        for (HttpResult r : results) {
            if (!cases.contains(r.httpCase())) {
                cases.add(r.httpCase());
            }
        }
        for (HttpCase c : cases) {
            List<HttpResult> ofCase = results.stream().filter(r -> r.httpCase() == c).toList();
            for (HttpResult r : ofCase) {
                if (!r.note().isEmpty()) {
                    notes.add(c.cliName() + " " + r.engine() + ": " + r.note());
                }
                rows.add(new String[]{c.cliName(), r.engine(), Cells.fixed(r.wrk().requestsPerSecond(), 0),
                        Cells.fixed(r.wrk().megabytesPerSecond(), 1), Cells.latency(r.wrk().p50Us()),
                        Cells.latency(r.wrk().p99Us()), r.probe() == null ? "-" : Cells.latency(r.probe().p99Us()),
                        Cells.fixed(r.serverCpuUsPerRequest(), 2), Integer.toString(r.server().threads()),
                        Saturation.percent(r.serverUtilisation()), Saturation.percent(r.loadUtilisation()),
                        Long.toString(r.errors()), r.flag()});
            }
            List<HttpRatio> ratios = HttpRatio.of(ofCase);
            if (!ratios.isEmpty()) {
                headings.put(rows.size(), "  " + c.cliName() + " ratios (req/s, MB/s above 1: more; latency and CPU below 1: less)");
            }
            for (HttpRatio q : ratios) {
                rows.add(new String[]{c.cliName(), q.name(), Cells.times(q.requestsPerSecond()),
                        Cells.times(q.megabytesPerSecond()), Cells.times(q.p50()), Cells.times(q.p99()),
                        Cells.times(q.probeP99()), Cells.times(q.cpuPerRequest()), "-", "-", "-", "-",
                        q.trustworthy() ? "" : "see notes"});
            }
        }
        StringBuilder out = new StringBuilder(TextTable.render(rows, 2, headings));
        for (String note : notes) {
            out.append("note: ").append(note).append('\n');
        }
        return out.toString();
    }
}
