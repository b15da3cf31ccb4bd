package io.fdloop.internal.net.uring;

import io.fdloop.internal.linux.Msghdr;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The {@code msghdr} and iovec array of one {@code IORING_OP_SENDMSG}, pooled per loop: a connection
 * holds one only while its sendmsg is in the kernel (which reads the iovecs when it consumes the entry),
 * so idle connections hold none. Blocks come in slabs, so steady traffic allocates nothing.
 * <pre>
 *   block: [ msghdr (56) | pad (8) | iovec 0 | iovec 1 | ... | iovec IOVECS-1 ]
 * </pre>
 *
 * <p><b>Loop thread only.</b>
 */
final class SendBlocks {
    /** The buffers one sendmsg gathers at most. */
    static final int IOVECS = 128;
    private static final long IOVECS_AT = 64;
    private static final long BLOCK_SIZE = IOVECS_AT + IOVECS * Msghdr.IOVEC_SIZE;
    private static final int PER_SLAB = 16;

    private Block[] free = new Block[PER_SLAB];
    private int freeCount;

    /** One sendmsg's memory. */
    static final class Block {
        final MemorySegment msghdr;
        final MemorySegment iovecs;

        private Block(MemorySegment memory) {
            this.msghdr = memory.asSlice(0, Msghdr.SIZE);
            this.iovecs = memory.asSlice(IOVECS_AT, IOVECS * Msghdr.IOVEC_SIZE);
            Msghdr.fill(msghdr, iovecs.address(), 0);
        }

        long msghdrAddress() {
            return msghdr.address();
        }

        void count(int iovecs) {
            Msghdr.setIovecCount(msghdr, iovecs);
        }
    }

    Block take() {
        if (freeCount == 0) {
            MemorySegment slab = Arena.ofAuto().allocate(BLOCK_SIZE * PER_SLAB, 64);
            for (int i = 0; i < PER_SLAB; i++) {
                give(new Block(slab.asSlice(i * BLOCK_SIZE, BLOCK_SIZE)));
            }
        }
        Block block = free[--freeCount];
        free[freeCount] = null;
        return block;
    }

    void give(Block block) {
        if (freeCount == free.length) {
            free = java.util.Arrays.copyOf(free, freeCount * 2);
        }
        free[freeCount++] = block;
    }
}
