package io.fdloop.internal.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Page-aligned buffers that {@code sendFile} reads a file into when the range is not known to be in the
 * page cache (or the file is {@code O_DIRECT}), shared by one loop's connections.
 *
 * <p><b>Loop thread only.</b>
 */
final class FileBuffers {
    static final int SIZE = 128 * 1024;
    static final int ALIGNMENT = 4096;
    private static final int MAX_KEPT = 32;

    private final MemorySegment[] free = new MemorySegment[MAX_KEPT];
    private int freeCount;

    /** A buffer of {@link #SIZE} bytes aligned to {@code alignment} (a power of two). */
    MemorySegment take(int alignment) {
        if (alignment <= ALIGNMENT && freeCount > 0) {
            MemorySegment buffer = free[--freeCount];
            free[freeCount] = null;
            return buffer;
        }
        return Arena.ofAuto().allocate(SIZE, Math.max(ALIGNMENT, alignment));
    }

    void give(MemorySegment buffer) {
        if (freeCount < MAX_KEPT && buffer.address() % ALIGNMENT == 0) {
            free[freeCount++] = buffer;
        }
    }
}
