package io.fdloop.internal.linux;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct timespec} (16 bytes: {@code tv_sec}, {@code tv_nsec}) and {@code struct itimerspec}
 * (32 bytes: {@code it_interval}, then {@code it_value}), 64-bit {@code time_t}.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class Timespec {
    public static final long SIZE = 16, ITIMERSPEC_SIZE = 32;
    public static final long ITIMERSPEC_INTERVAL = 0, ITIMERSPEC_VALUE = 16;
    public static final int CLOCK_MONOTONIC = 1;
    public static final int TFD_TIMER_ABSTIME = 1;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Timespec() {
    }

    public static void set(MemorySegment segment, long offset, long nanos) {
        segment.set(JAVA_LONG, offset, nanos / NANOS_PER_SECOND);
        segment.set(JAVA_LONG, offset + 8, nanos % NANOS_PER_SECOND);
    }

    public static long nanos(MemorySegment segment, long offset) {
        return segment.get(JAVA_LONG, offset) * NANOS_PER_SECOND + segment.get(JAVA_LONG, offset + 8);
    }
}
