package io.fdloop.internal.http.response;

import java.time.InstantSource;

/**
 * The current time for responses: the {@code Date} field's value, formatted once per second and shared.
 *
 * <p><b>Thread-safe</b>: loops on several threads may share one clock; a second's value is an immutable
 * snapshot published through a volatile field.
 */
public final class DateClock {
    private record Stamp(long second, String httpDate) {
    }

    private final InstantSource source;
    private volatile Stamp stamp;

    public DateClock(InstantSource source) {
        this.source = source;
        this.stamp = new Stamp(Long.MIN_VALUE, "");
    }

    /** The system clock. */
    public static DateClock system() {
        return new DateClock(InstantSource.system());
    }

    /** Now, in milliseconds since the epoch. Any thread. */
    public long millis() {
        return source.millis();
    }

    /** Now, as an IMF-fixdate, reformatted only when the second changed. Any thread. */
    public String httpDate() {
        long second = Math.floorDiv(source.millis(), 1000);
        Stamp current = stamp;
        if (current.second != second) {
            current = new Stamp(second, HttpDates.format(second));
            stamp = current;
        }
        return current.httpDate;
    }
}
