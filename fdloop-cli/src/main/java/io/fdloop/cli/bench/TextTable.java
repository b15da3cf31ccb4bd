package io.fdloop.cli.bench;

import java.util.List;
import java.util.Map;

/**
 * Rows of cells as an aligned plain-text table: the first {@code textColumns} columns to the left,
 * numbers to the right, and a heading line before any row that has one.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class TextTable {
    private TextTable() {
    }

    /** {@code rows} (the header first), with {@code headings} printed before the rows they are keyed by. */
    public static String render(List<String[]> rows, int textColumns, Map<Integer, String> headings) {
        int columns = 0;
        for (String[] row : rows) {
            columns = Math.max(columns, row.length);
        }
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            String heading = headings.get(r);
            if (heading != null) {
                out.append(heading).append('\n');
            }
            String[] row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                String pad = " ".repeat(widths[i] - row[i].length());
                line.append(i < textColumns ? row[i] + pad : pad + row[i]);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
