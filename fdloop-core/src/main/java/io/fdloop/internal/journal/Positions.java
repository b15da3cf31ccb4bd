package io.fdloop.internal.journal;


/**
 * A record's position: its segment's sequence number in the high 32 bits, its byte offset in the
 * segment in the low 32. Positions of successive records strictly increase, across segments too.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class Positions {
    private Positions() {
    }

    public static long of(long sequence, long offset) {
        return sequence << 32 | offset;
    }

    public static long sequence(long position) {
        return position >>> 32;
    }

    public static int offset(long position) {
        return (int) position;
    }

    public static String describe(long position) {
        return "segment " + sequence(position) + " offset " + offset(position);
    }
}
