package io.fdloop.cli.bench.journal;

import io.fdloop.cli.bench.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The journal benchmark's output: one row per engine, producer count and record size, then each
 * fdloop mode's ratios against {@code filechannel} and {@code artemis} in the same cell, then the
 * engines' notes; or one JSON array.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
final class JournalTable {
    private static final String[] HEADER = {"engine", "record", "producers", "records/s", "MiB/s", "p50 us", "p99 us",
            "p99.9 us", "max us", "syncs/rec", "CPU us/rec"};

    private JournalTable() {
    }

    static String format(List<JournalResult> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (JournalResult r : results) {
            rows.add(new String[]{r.engine(), bytes(r.job().recordSize()), Integer.toString(r.job().producers()),
                    fixed(r.recordsPerSecond(), 0), fixed(r.mibPerSecond(), 1), fixed(r.p50Us(), 1), fixed(r.p99Us(), 1),
                    fixed(r.p999Us(), 1), fixed(r.maxUs(), 0), fixed(r.syncsPerRecord(), 3), fixed(r.cpuUsPerRecord(), 2)});
        }
        StringBuilder out = new StringBuilder(render(rows));
        List<String[]> ratios = new ArrayList<>();
        ratios.add(new String[]{"fdloop mode", "record", "producers", "rec/s vs filechannel", "p99 vs filechannel",
                "rec/s vs artemis", "p99 vs artemis"});
        for (JournalResult r : results) {
            if (!r.engine().startsWith("fdloop-")) {
                continue;
            }
            JournalResult fc = find(results, "filechannel", r);
            JournalResult artemis = find(results, "artemis", r);
            ratios.add(new String[]{r.engine(), bytes(r.job().recordSize()), Integer.toString(r.job().producers()),
                    times(fc == null ? Double.NaN : r.recordsPerSecond() / fc.recordsPerSecond()),
                    times(fc == null ? Double.NaN : r.p99Us() / fc.p99Us()),
                    times(artemis == null ? Double.NaN : r.recordsPerSecond() / artemis.recordsPerSecond()),
                    times(artemis == null ? Double.NaN : r.p99Us() / artemis.p99Us())});
        }
        if (ratios.size() > 1) {
            out.append('\n').append(render(ratios));
        }
        StringBuilder notes = new StringBuilder();
        for (JournalResult r : results) {
            if (r.notes() != null) {
                notes.append(String.format(Locale.ROOT, "  %-26s %5s %4d producers: %s%n", r.engine(),
                        bytes(r.job().recordSize()), r.job().producers(), r.notes()));
            }
        }
        if (!notes.isEmpty()) {
            out.append("\nnotes:\n").append(notes);
        }
        java.util.Map<String, String> durability = new java.util.LinkedHashMap<>();
        results.forEach(r -> durability.putIfAbsent(r.engine(), r.durability()));
        if (!durability.isEmpty()) {
            out.append("\ndurable when an append returns:\n");
            durability.forEach((engine, meaning) -> out.append(String.format(Locale.ROOT, "  %-26s %s%n", engine, meaning)));
        }
        return out.toString();
    }

    static String json(List<JournalResult> results) {
        List<JsonObject> objects = new ArrayList<>();
        for (JournalResult r : results) {
            objects.add(new JsonObject()
                    .string("engine", r.engine())
                    .integer("record_bytes", r.job().recordSize())
                    .integer("producers", r.job().producers())
                    .integer("records", r.records())
                    .number("seconds", r.seconds(), 3)
                    .number("records_per_s", r.recordsPerSecond(), 1)
                    .number("mib_per_s", r.mibPerSecond(), 2)
                    .number("p50_us", r.p50Us(), 3)
                    .number("p99_us", r.p99Us(), 3)
                    .number("p999_us", r.p999Us(), 3)
                    .number("max_us", r.maxUs(), 3)
                    .number("syncs_per_record", r.syncsPerRecord(), 4)
                    .number("cpu_us_per_record", r.cpuUsPerRecord(), 3));
        }
        return JsonObject.array(objects);
    }

    private static JournalResult find(List<JournalResult> results, String engine, JournalResult like) {
        for (JournalResult r : results) {
            if (r.engine().equals(engine) && r.job().producers() == like.job().producers()
                    && r.job().recordSize() == like.job().recordSize()) {
                return r;
            }
        }
        return null;
    }

    static String bytes(int size) {
        return size % 1024 == 0 ? size / 1024 + "k" : Integer.toString(size);
    }

    private static String render(List<String[]> rows) {
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String pad = " ".repeat(widths[i] - row[i].length());
                line.append(i > 0 ? "  " : "").append(i == 0 ? row[i] + pad : pad + row[i]);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String fixed(double value, int decimals) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "-"
                : String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    private static String times(double ratio) {
        return Double.isNaN(ratio) || Double.isInfinite(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio);
    }

}
