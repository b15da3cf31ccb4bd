package io.fdloop.internal.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Fixed-size chunks of native memory that copying writes fill, shared by one loop's connections:
 * a chunk goes back to the pool once no queued write refers to it, so steady traffic allocates
 * nothing. Each chunk has an automatic arena of its own, so chunks beyond what the pool keeps are
 * freed by the garbage collector once no queue refers to them.
 *
 * <p><b>Loop thread only.</b>
 */
final class CopyPool {
    static final int CHUNK_SIZE = 16 * 1024;
    private static final int MAX_KEPT = 512;

    private final Chunk[] free = new Chunk[MAX_KEPT];
    private int freeCount;

    /** One chunk and the number of queued writes that refer to it. */
    static final class Chunk {
        final MemorySegment memory = Arena.ofAuto().allocate(CHUNK_SIZE, 64);
        final long address = memory.address();
        int references;
    }

    Chunk take() {
        if (freeCount > 0) {
            Chunk chunk = free[--freeCount];
            free[freeCount] = null;
            return chunk;
        }
        return new Chunk();
    }

    void give(Chunk chunk) {
        if (freeCount < MAX_KEPT) {
            free[freeCount++] = chunk;
        }
    }
}
