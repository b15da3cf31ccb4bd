package io.fdloop.internal.http.log;

import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * nginx's {@code $time_local}: {@code 10/Oct/2000:13:55:36 -0700}, in a time zone, formatted once per
 * second.
 *
 * <p><b>Thread-safe</b>: a second's text is an immutable snapshot published through a volatile field.
 */
public final class LogTime {
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private record Stamp(long second, String text) {
    }

    private final InstantSource source;
    private final ZoneId zone;
    private volatile Stamp stamp = new Stamp(Long.MIN_VALUE, "");

    public LogTime(InstantSource source, ZoneId zone) {
        this.source = source;
        this.zone = zone;
    }

    /** The system clock in the system's time zone, as nginx logs. */
    public static LogTime system() {
        return new LogTime(InstantSource.system(), ZoneId.systemDefault());
    }

    /** Now. Any thread. */
    public String now() {
        long second = Math.floorDiv(source.millis(), 1000);
        Stamp s = stamp;
        if (s.second != second) {
            s = new Stamp(second, format(second, zone));
            stamp = s;
        }
        return s.text;
    }

    static String format(long epochSecond, ZoneId zone) {
        ZoneOffset offset = zone.getRules().getOffset(Instant.ofEpochSecond(epochSecond));
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, offset);
        int offsetMinutes = offset.getTotalSeconds() / 60;
        char sign = offsetMinutes < 0 ? '-' : '+';
        offsetMinutes = Math.abs(offsetMinutes);
        return String.format("%02d/%s/%04d:%02d:%02d:%02d %c%02d%02d", t.getDayOfMonth(), MONTHS[t.getMonthValue() - 1],
                t.getYear(), t.getHour(), t.getMinute(), t.getSecond(), sign, offsetMinutes / 60, offsetMinutes % 60);
    }
}
