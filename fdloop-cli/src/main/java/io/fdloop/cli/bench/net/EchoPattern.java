package io.fdloop.cli.bench.net;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * The bytes every load connection sends: a pseudo-random stream that repeats every
 * {@link #PERIOD} bytes, held twice over in one direct buffer so that any run of up to
 * {@code PERIOD} bytes from any offset is one contiguous slice. An echo returns the stream in
 * order, so the byte expected at stream offset {@code n} is always {@code pattern[n % PERIOD]}:
 * every echoed byte is checked without remembering what was sent. Each connection starts at an
 * offset of its own, so bytes crossing from one connection to another are caught too.
 *
 * <pre>
 * buffer:  | p[0] ... p[PERIOD-1] | p[0] ... p[PERIOD-1] |
 *            ^ offset % PERIOD: a slice of up to PERIOD bytes never runs off the end
 * </pre>
 *
 * <p><b>Not thread-safe</b>: one per load thread (its views have positions).
 */
final class EchoPattern {
    /** A prime, so no message size divides it and a stream shifted by whole messages mismatches. */
    static final int PERIOD = 65537;

    private final ByteBuffer expected;

    EchoPattern(long seed) {
        ByteBuffer bytes = ByteBuffer.allocateDirect(2 * PERIOD);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < PERIOD; i++) {
            byte b = (byte) random.nextInt(256);
            bytes.put(i, b);
            bytes.put(i + PERIOD, b);
        }
        this.expected = bytes;
    }

    /** A view of the stream for one connection to write from, positioned by {@link #select}. */
    ByteBuffer newView() {
        return expected.duplicate();
    }

    /** Points {@code view} at the stream's bytes from {@code streamOffset}, at most {@code length} (and {@link #PERIOD}) of them. */
    static void select(ByteBuffer view, long streamOffset, long length) {
        int from = (int) (streamOffset % PERIOD);
        view.clear();
        view.position(from).limit(from + (int) Math.min(length, PERIOD));
    }

    /**
     * The stream offset of the first byte of {@code received} (from its position to its limit)
     * that differs from the stream at {@code streamOffset}, or -1 when they all match. Leaves
     * {@code received} as it was; {@code scratch} is a view of this pattern's to reuse.
     */
    long mismatch(ByteBuffer received, long streamOffset, ByteBuffer scratch) {
        int start = received.position(), end = received.limit();
        try {
            int at = start;
            while (at < end) {
                int length = Math.min(end - at, PERIOD);
                select(scratch, streamOffset + (at - start), length);
                received.limit(at + length).position(at);
                int differs = received.mismatch(scratch);
                if (differs >= 0) {
                    return streamOffset + (at - start) + differs;
                }
                at += length;
            }
            return -1;
        } finally {
            received.limit(end).position(start);
        }
    }

    /** The byte the stream holds at {@code streamOffset}. */
    byte at(long streamOffset) {
        return expected.get((int) (streamOffset % PERIOD));
    }
}
