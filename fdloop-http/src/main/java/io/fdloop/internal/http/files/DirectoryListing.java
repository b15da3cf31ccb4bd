package io.fdloop.internal.http.files;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The HTML page listing a directory, in the shape of nginx's autoindex: directories first, then files,
 * each group sorted by name; modification times in UTC; sizes in bytes. Names are HTML-escaped in the
 * text and percent-encoded (as UTF-8) in the links, so no file name can inject markup or a URL.
 *
 * <p><b>Stateless; any thread.</b>
 */
public final class DirectoryListing {
    /** One entry: a name, whether it is a directory, its size and modification time (seconds). */
    public record Entry(String name, boolean directory, long size, long modifiedSeconds) {
    }

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private DirectoryListing() {
    }

    /**
     * The page for the directory at {@code requestPath} (decoded, ending with {@code /}).
     *
     * @param truncated whether entries were left out because there were too many
     */
    public static byte[] render(String requestPath, List<Entry> entries, boolean truncated) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing((Entry e) -> !e.directory()).thenComparing(Entry::name));
        String title = escapeHtml(requestPath);
        StringBuilder sb = new StringBuilder(256 + 128 * sorted.size());
        sb.append("<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>Index of ").append(title)
                .append("</title></head>\n<body>\n<h1>Index of ").append(title).append("</h1><hr><pre>");
        if (!requestPath.equals("/")) {
            sb.append("<a href=\"../\">../</a>\n");
        }
        for (Entry e : sorted) {
            String shown = e.directory() ? e.name() + "/" : e.name();
            sb.append("<a href=\"").append(encodeHref(e.name()));
            if (e.directory()) {
                sb.append('/');
            }
            sb.append("\">").append(escapeHtml(shown)).append("</a>");
            int pad = Math.max(1, 51 - shown.codePointCount(0, shown.length()));
            sb.repeat(' ', pad).append(date(e.modifiedSeconds()));
            String size = e.directory() ? "-" : Long.toString(e.size());
            sb.repeat(' ', Math.max(1, 20 - size.length())).append(size).append('\n');
        }
        if (truncated) {
            sb.append("(more entries not shown)\n");
        }
        sb.append("</pre><hr></body>\n</html>\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code 06-Nov-1994 08:49}. */
    private static String date(long seconds) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        return String.format("%02d-%s-%04d %02d:%02d", t.getDayOfMonth(), MONTHS[t.getMonthValue() - 1],
                t.getYear(), t.getHour(), t.getMinute());
    }

    /** {@code & < > " '} as character references. */
    public static String escapeHtml(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * A name as a relative URL path segment: every byte but unreserved ones percent-encoded (a colon
     * too, so that no name reads as a scheme).
     */
    static String encodeHref(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 8);
        for (byte raw : name.getBytes(StandardCharsets.UTF_8)) {
            int b = raw & 0xff;
            if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || "-._~".indexOf(b) >= 0) {
                sb.append((char) b);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
