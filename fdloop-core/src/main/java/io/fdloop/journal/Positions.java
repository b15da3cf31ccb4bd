package io.fdloop.journal;

/**
 * A record's position: its segment's sequence number in the high 32 bits, its byte offset in the
 * segment in the low 32. Positions of successive records strictly increase, across segments too.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
final class Positions {
    private Positions() {
    }

    static long of(long sequence, long offset) {
        return sequence << 32 | offset;
    }

    static long sequence(long position) {
        return position >>> 32;
    }

    static int offset(long position) {
        return (int) position;
    }

    static String describe(long position) {
        return "segment " + sequence(position) + " offset " + offset(position);
    }
}
