package io.fdloop.cli.bench;

/**
 * Where each slot's next request goes, whether it writes, and the seed of what it writes.
 *
 * <p><b>Not thread-safe per slot</b>: a slot is driven by one thread at a time (its own thread,
 * or the one loop thread); different slots may be driven by different threads at once.
 *
 * <p>Slot {@code s} of {@code qd} owns the blocks {@code s, s + qd, s + 2 qd, ...}: two requests in
 * flight never touch the same block, so with {@code --verify} a read never meets a half-done write
 * (fio's {@code serialize_overlap}, by construction). Sequential jobs walk each slot's blocks in
 * order, so the blocks in flight stay a contiguous run of {@code qd} blocks, as with fio's
 * {@code iodepth}; random jobs pick any of the slot's blocks.
 *
 * <pre>
 * state[s * STRIDE + 0]  next block index within the slot's share (sequential)
 * state[s * STRIDE + 1]  xorshift state (random offsets, read-or-write, pattern seeds)
 * </pre>
 */
public final class Workload {
    /** Longs per slot: 64 bytes, so slots driven by different threads never share a cache line. */
    private static final int STRIDE = 8;

    private final Rw rw;
    private final int blockSize;
    private final int slots;
    private final long blocksPerSlot;
    private final long[] state;

    public Workload(Job job) {
        this.rw = job.rw();
        this.blockSize = job.blockSize();
        this.slots = job.queueDepth();
        this.blocksPerSlot = job.blocks() / slots;
        this.state = new long[(slots + 1) * STRIDE];
        for (int s = 0; s < slots; s++) {
            state[s * STRIDE + 1] = mix(0x9E3779B97F4A7C15L * (s + 1));
        }
    }

    /** The file offset of {@code slot}'s next request. */
    public long nextOffset(int slot) {
        int at = slot * STRIDE;
        long index;
        if (rw.random()) {
            index = Long.remainderUnsigned(next(at + 1), blocksPerSlot);
        } else {
            index = state[at];
            state[at] = index + 1 == blocksPerSlot ? 0 : index + 1;
        }
        return (slot + index * slots) * blockSize;
    }

    /** Whether {@code slot}'s next request writes: always, never, or half the time for randrw. */
    public boolean nextIsWrite(int slot) {
        if (rw == Rw.RANDRW) {
            return next(slot * STRIDE + 1) < 0;
        }
        return rw.writes();
    }

    /** A fresh seed for the pattern of {@code slot}'s next write. */
    public long nextSeed(int slot) {
        return next(slot * STRIDE + 1);
    }

    private long next(int at) {
        long x = state[at];
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        state[at] = x;
        return x;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return z == 0 ? 1 : z;
    }
}
