package io.fdloop.cli.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Sizes and durations as fio writes them: {@code 4k}, {@code 256m}, {@code 1g}; {@code 10s}, {@code 500ms}, {@code 2m}.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class Units {
    private Units() {
    }

    /** Bytes in {@code text}: a positive number with an optional k, m, g or t (powers of 1024), optionally followed by b or ib. */
    public static long parseSize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ib")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("b")) {
            t = t.substring(0, t.length() - 1);
        }
        int shift = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
        try {
            long value = Long.parseLong(digits);
            if (value <= 0 || value > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            return value << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a size is a positive number with an optional k, m, g or t, was " + text);
        }
    }

    /** Nanoseconds in {@code text}: a number followed by ms, s or m (no unit: seconds). */
    public static long parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            long value;
            TimeUnit unit;
            if (t.endsWith("ms")) {
                value = Long.parseLong(t.substring(0, t.length() - 2));
                unit = TimeUnit.MILLISECONDS;
            } else if (t.endsWith("s")) {
                value = Long.parseLong(t.substring(0, t.length() - 1));
                unit = TimeUnit.SECONDS;
            } else if (t.endsWith("m")) {
                value = Long.parseLong(t.substring(0, t.length() - 1));
                unit = TimeUnit.MINUTES;
            } else {
                value = Long.parseLong(t);
                unit = TimeUnit.SECONDS;
            }
            if (value < 0) {
                throw new NumberFormatException();
            }
            return unit.toNanos(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a duration is like 10s, 500ms or 2m, was " + text);
        }
    }

    /** {@code bytes} the way fio prints a block size: 4k, 1m, 512. */
    public static String bytes(long bytes) {
        for (String suffix : new String[]{"t", "g", "m", "k"}) {
            int shift = switch (suffix) {
                case "t" -> 40;
                case "g" -> 30;
                case "m" -> 20;
                default -> 10;
            };
            if (bytes >= 1L << shift && bytes % (1L << shift) == 0) {
                return (bytes >> shift) + suffix;
            }
        }
        return Long.toString(bytes);
    }

    /** {@code ns} as the options take it back: 5s, 500ms, 2m. */
    public static String duration(long ns) {
        if (ns % 60_000_000_000L == 0 && ns > 0) {
            return ns / 60_000_000_000L + "m";
        }
        if (ns % 1_000_000_000L == 0) {
            return ns / 1_000_000_000L + "s";
        }
        return TimeUnit.NANOSECONDS.toMillis(ns) + "ms";
    }
}
