package io.fdloop.internal.http.response;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * HTTP-dates (RFC 9110 5.6.7): formatting as IMF-fixdate, parsing all three forms a recipient must
 * accept (IMF-fixdate, the obsolete RFC 850 form, and asctime's).
 *
 * <p><b>Stateless; any thread.</b>
 */
public final class HttpDates {
    /** What {@link #parse} returns for anything that is not an HTTP-date. */
    public static final long INVALID = Long.MIN_VALUE;

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] LONG_DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private HttpDates() {
    }

    /** {@code Sun, 06 Nov 1994 08:49:37 GMT} for a time in seconds since the epoch. */
    public static String format(long epochSecond) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(29);
        sb.append(DAYS[t.getDayOfWeek().ordinal()]).append(", ");
        two(sb, t.getDayOfMonth()).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ');
        int year = t.getYear();
        if (year < 1000) {
            sb.append(year < 10 ? "000" : year < 100 ? "00" : "0");
        }
        sb.append(year).append(' ');
        two(sb, t.getHour()).append(':');
        two(sb, t.getMinute()).append(':');
        two(sb, t.getSecond()).append(" GMT");
        return sb.toString();
    }

    private static StringBuilder two(StringBuilder sb, int n) {
        return sb.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }

    /** Seconds since the epoch, or {@link #INVALID}. */
    public static long parse(String s) {
        if (s == null) {
            return INVALID;
        }
        try {
            if (s.length() == 29 && s.charAt(3) == ',') {
                return imfFixdate(s);
            }
            if (s.length() == 24 && s.charAt(3) == ' ') {
                return asctime(s);
            }
            int comma = s.indexOf(',');
            if (comma > 3) {
                return rfc850(s, comma);
            }
        } catch (DateTimeException | IndexOutOfBoundsException e) {
            return INVALID; // a day of month the month lacks, for one
        }
        return INVALID;
    }

    /** {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    private static long imfFixdate(String s) {
        if (dayIndex(DAYS, s, 0, 3) < 0 || s.charAt(4) != ' ' || s.charAt(7) != ' ' || s.charAt(11) != ' '
                || s.charAt(16) != ' ' || !s.endsWith(" GMT")) {
            return INVALID;
        }
        int day = digits(s, 5, 2);
        int month = month(s, 8);
        int year = digits(s, 12, 4);
        return time(s, 17, year, month, day);
    }

    /** {@code Sunday, 06-Nov-94 08:49:37 GMT}. */
    private static long rfc850(String s, int comma) {
        if (dayIndex(LONG_DAYS, s, 0, comma) < 0) {
            return INVALID;
        }
        int p = comma + 1;
        if (s.length() != p + 23 || s.charAt(p) != ' ' || s.charAt(p + 3) != '-' || s.charAt(p + 7) != '-'
                || s.charAt(p + 10) != ' ' || !s.endsWith(" GMT")) {
            return INVALID;
        }
        int day = digits(s, p + 1, 2);
        int month = month(s, p + 4);
        int yy = digits(s, p + 8, 2);
        if (yy < 0) {
            return INVALID;
        }
        // RFC 9110 5.6.7 reads a two-digit year more than 50 years ahead as the past century's; fixed at 1970 here.
        int year = yy >= 70 ? 1900 + yy : 2000 + yy;
        return time(s, p + 11, year, month, day);
    }

    /** {@code Sun Nov  6 08:49:37 1994}. */
    private static long asctime(String s) {
        if (dayIndex(DAYS, s, 0, 3) < 0 || s.charAt(7) != ' ' || s.charAt(10) != ' ' || s.charAt(19) != ' ') {
            return INVALID;
        }
        int month = month(s, 4);
        int day = s.charAt(8) == ' ' ? digits(s, 9, 1) : digits(s, 8, 2);
        int year = digits(s, 20, 4);
        return time(s, 11, year, month, day);
    }

    /** {@code HH:MM:SS} at {@code at}, on the given date. */
    private static long time(String s, int at, int year, int month, int day) {
        if (s.charAt(at + 2) != ':' || s.charAt(at + 5) != ':') {
            return INVALID;
        }
        int hour = digits(s, at, 2);
        int minute = digits(s, at + 3, 2);
        int second = digits(s, at + 6, 2);
        if (year < 0 || month < 1 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 60) {
            return INVALID;
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return days * 86_400 + hour * 3600L + minute * 60L + Math.min(second, 59);
    }

    private static int digits(String s, int at, int count) {
        int n = 0;
        for (int i = at; i < at + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static int month(String s, int at) {
        for (int m = 0; m < 12; m++) {
            if (s.startsWith(MONTHS[m], at)) {
                return m + 1;
            }
        }
        return -1;
    }

    private static int dayIndex(String[] names, String s, int from, int to) {
        for (int d = 0; d < names.length; d++) {
            if (names[d].length() == to - from && s.startsWith(names[d], from)) {
                return d;
            }
        }
        return -1;
    }
}
