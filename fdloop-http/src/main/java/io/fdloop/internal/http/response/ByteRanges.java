package io.fdloop.internal.http.response;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code Range: bytes=...} field (RFC 9110 14.1.2) against a representation's length, decided as nginx
 * decides it:
 * <ul>
 *   <li>not {@code bytes=}: the field is ignored (the whole representation, 200);</li>
 *   <li>malformed, or a number that overflows: 416;</li>
 *   <li>{@code first-last}, {@code first-} and {@code -suffix}; a last past the end is clamped; a range
 *       starting at or past the end (or {@code -0}) is unsatisfiable and left out;</li>
 *   <li>none left: 416, except on an empty representation asked from byte 0 (200, as nginx);</li>
 *   <li>more ranges than {@code maxRanges}, or ranges adding up to more than the representation
 *       (overlapping ones, the shape of range amplification attacks): ignored, 200 with everything;</li>
 *   <li>otherwise the ranges in the order asked, not merged: one gives a plain 206, several a
 *       {@code multipart/byteranges} 206.</li>
 * </ul>
 *
 * <p><b>Stateless; any thread.</b>
 */
public final class ByteRanges {
    /** {@code [start, end)} in bytes. */
    public record Range(long start, long end) {
        public long length() {
            return end - start;
        }
    }

    /** What to send. */
    public sealed interface Decision {
    }

    /** The whole representation, as if there were no Range. */
    public record Whole() implements Decision {
    }

    /** 416 with <code>Content-Range: bytes *&#47;length</code>. */
    public record Unsatisfiable() implements Decision {
    }

    /** 206 with these ranges. */
    public record Partial(List<Range> ranges) implements Decision {
    }

    private static final Whole WHOLE = new Whole();
    private static final Unsatisfiable UNSATISFIABLE = new Unsatisfiable();
    private static final long CUTOFF = Long.MAX_VALUE / 10;

    private ByteRanges() {
    }

    public static Decision decide(String field, long length, int maxRanges) {
        if (field.length() < 7 || !field.regionMatches(true, 0, "bytes=", 0, 6)) {
            return WHOLE;
        }
        List<Range> ranges = new ArrayList<>(2);
        long total = 0;
        int i = 6;
        int n = field.length();
        while (true) {
            i = skipSpaces(field, i);
            long start;
            long end;
            if (i < n && field.charAt(i) == '-') {
                i++;
                int digitsAt = i;
                long suffix = 0;
                while (i < n && isDigit(field.charAt(i))) {
                    if (suffix >= CUTOFF) {
                        return UNSATISFIABLE;
                    }
                    suffix = suffix * 10 + (field.charAt(i++) - '0');
                }
                if (i == digitsAt) {
                    return UNSATISFIABLE;
                }
                start = suffix < length ? length - suffix : 0;
                end = length;
            } else {
                int digitsAt = i;
                start = 0;
                while (i < n && isDigit(field.charAt(i))) {
                    if (start >= CUTOFF) {
                        return UNSATISFIABLE;
                    }
                    start = start * 10 + (field.charAt(i++) - '0');
                }
                if (i == digitsAt) {
                    return UNSATISFIABLE;
                }
                i = skipSpaces(field, i);
                if (i >= n || field.charAt(i) != '-') {
                    return UNSATISFIABLE;
                }
                i = skipSpaces(field, i + 1);
                if (i == n || field.charAt(i) == ',') {
                    end = length;
                } else {
                    int lastAt = i;
                    long last = 0;
                    while (i < n && isDigit(field.charAt(i))) {
                        if (last >= CUTOFF) {
                            return UNSATISFIABLE;
                        }
                        last = last * 10 + (field.charAt(i++) - '0');
                    }
                    if (i == lastAt) {
                        return UNSATISFIABLE;
                    }
                    end = last >= length ? length : last + 1;
                }
            }
            i = skipSpaces(field, i);
            if (i < n && field.charAt(i) != ',') {
                return UNSATISFIABLE;
            }
            if (start < end) {
                if (ranges.size() == maxRanges) {
                    return WHOLE;
                }
                ranges.add(new Range(start, end));
                total += end - start;
            } else if (start == 0) {
                return WHOLE; // only an empty representation gets here: nothing to cut
            }
            if (i >= n) {
                break;
            }
            i++; // the comma
        }
        if (ranges.isEmpty()) {
            return UNSATISFIABLE;
        }
        if (total > length) {
            return WHOLE;
        }
        return new Partial(List.copyOf(ranges));
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
