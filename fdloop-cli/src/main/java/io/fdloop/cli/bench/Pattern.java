package io.fdloop.cli.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The checksummed content {@code --verify} writes into every block, and its check on read.
 *
 * <p><b>Stateless; thread-safe</b> (a block is filled or checked by one thread).
 *
 * <pre>
 *  0       8       16      24      32                                   block size
 *  +-------+-------+-------+-------+-------------------------------------+
 *  | magic | offset| seed  | sum   | payload: xorshift64 stream from seed |
 *  +-------+-------+-------+-------+-------------------------------------+
 *  magic   "fdloopV1" (little-endian long)
 *  offset  the block's own offset in the file: a block written to or read from the wrong place shows
 *  seed    differs from one write to the next, so a stale block shows as a different seed, not as valid
 *  sum     a 64-bit hash of every other long of the block (magic, offset, seed, payload)
 * </pre>
 */
public final class Pattern {
    public static final int HEADER_BYTES = 32;
    static final long MAGIC = MemorySegment.ofArray("fdloopV1".getBytes(StandardCharsets.US_ASCII))
            .get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    private Pattern() {
    }

    /** Fills {@code block} with the pattern for {@code offset} and {@code seed}. */
    public static void fill(MemorySegment block, long offset, long seed) {
        long s = seed == 0 ? 1 : seed;
        long size = block.byteSize();
        block.set(LONG, 0, MAGIC);
        block.set(LONG, 8, offset);
        block.set(LONG, 16, s);
        for (long at = HEADER_BYTES; at < size; at += Long.BYTES) {
            s ^= s << 13;
            s ^= s >>> 7;
            s ^= s << 17;
            block.set(LONG, at, s);
        }
        block.set(LONG, 24, sum(block));
    }

    /** Null when {@code block}, read from {@code offset}, holds an intact pattern for that offset; else what is wrong. */
    public static String check(MemorySegment block, long offset) {
        long magic = block.get(LONG, 0);
        if (magic != MAGIC) {
            return "block at offset " + offset + " holds no verify pattern (starts with 0x" + Long.toHexString(magic)
                    + "): corrupt, or never written with --verify";
        }
        long written = block.get(LONG, 8);
        if (written != offset) {
            return "block at offset " + offset + " holds the block written for offset " + written + ": misplaced";
        }
        long expected = block.get(LONG, 24);
        long actual = sum(block);
        if (expected != actual) {
            return "block at offset " + offset + " fails its checksum (0x" + Long.toHexString(actual)
                    + ", written 0x" + Long.toHexString(expected) + "): the data is corrupt";
        }
        return null;
    }

    private static long sum(MemorySegment block) {
        long h = 0x84222325CBF29CE4L;
        long size = block.byteSize();
        for (long at = 0; at < size; at += Long.BYTES) {
            if (at != 24) {
                h = Long.rotateLeft((h ^ block.get(LONG, at)) * 0x9E3779B97F4A7C15L, 31);
            }
        }
        return h;
    }
}
