package io.fdloop.internal.file;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * The loop's buffers for memory the kernel may not use directly (see {@link KernelMemory}): one
 * size class per power of two from 4 KiB to 1 MiB, a few of each kept for reuse; larger ones are
 * made for one operation. Every buffer comes from {@link Arena#ofAuto()}, so its memory lives as
 * long as an operation references it, and needs no explicit free. A kept buffer is reused with its
 * {@link Bounce}, so a bounced operation allocates nothing in steady state.
 *
 * <p><b>Loop thread only.</b>
 */
final class BounceBuffers {
    private static final int MIN_SHIFT = 12, MAX_SHIFT = 20, KEPT_PER_CLASS = 64;
    private static final long ALIGNMENT = 4096; // covers every O_DIRECT memory alignment fdloop has met

    @SuppressWarnings("unchecked")
    private final ArrayDeque<Bounce>[] free = new ArrayDeque[MAX_SHIFT - MIN_SHIFT + 1];

    BounceBuffers() {
        for (int i = 0; i < free.length; i++) {
            free[i] = new ArrayDeque<>();
        }
    }

    /**
     * A loop buffer of at least {@code length} bytes, aligned to {@code alignment} (4096 unless more is
     * asked), standing in for {@code user} (a segment, a ByteBuffer, or an array of them).
     */
    Bounce take(long length, int alignment, Object user, boolean read) {
        int shift = Math.max(MIN_SHIFT, 64 - Long.numberOfLeadingZeros(Math.max(1, length) - 1));
        Bounce bounce;
        if (shift > MAX_SHIFT || alignment > ALIGNMENT) {
            bounce = new Bounce(Arena.ofAuto().allocate(length, Math.max(ALIGNMENT, alignment)), -1);
        } else {
            bounce = free[shift - MIN_SHIFT].poll();
            if (bounce == null) {
                bounce = new Bounce(Arena.ofAuto().allocate(1L << shift, ALIGNMENT), shift - MIN_SHIFT);
            }
        }
        bounce.user = user;
        bounce.read = read;
        return bounce;
    }

    /** Takes {@code bounce} back once the kernel is done with its buffer. */
    void give(Bounce bounce) {
        bounce.user = null;
        if (bounce.sizeClass >= 0 && free[bounce.sizeClass].size() < KEPT_PER_CLASS) {
            free[bounce.sizeClass].add(bounce);
        }
    }

    /** A loop buffer the kernel uses in place of the caller's {@link #user} buffer(s). */
    static final class Bounce {
        final MemorySegment kernel;
        final int sizeClass; // -1: made for one operation
        Object user;
        boolean read;

        private Bounce(MemorySegment kernel, int sizeClass) {
            this.kernel = kernel;
            this.sizeClass = sizeClass;
        }
    }
}
