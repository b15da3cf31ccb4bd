package io.fdloop.cli.bench;

import java.nio.file.Path;

/**
 * One benchmark job, in fio's terms.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param file       the file or device to use
 * @param rw         what the requests do
 * @param blockSize  bytes per request
 * @param queueDepth requests kept outstanding
 * @param direct     O_DIRECT
 * @param size       bytes of the file the offsets range over
 * @param runtimeNs  how long to measure, when {@code ops} is 0
 * @param warmupNs   how long to run before measuring
 * @param ops        requests to measure (then {@code runtimeNs} does not apply), or 0
 * @param verify     writes carry a checksummed pattern and reads check it (see {@link Pattern})
 */
public record Job(Path file, Rw rw, int blockSize, int queueDepth, boolean direct, long size, long runtimeNs,
                  long warmupNs, long ops, boolean verify) {

    public Job {
        if (blockSize <= 0 || queueDepth <= 0 || size <= 0 || runtimeNs < 0 || warmupNs < 0 || ops < 0) {
            throw new IllegalArgumentException("block size, queue depth and size must be positive, times and ops not negative");
        }
        if (size / blockSize < queueDepth) {
            // Each request in flight owns blocks of its own (see Workload): no two overlap.
            throw new IllegalArgumentException("--size " + Units.bytes(size) + " holds " + size / blockSize
                    + " blocks of " + Units.bytes(blockSize) + "; queue depth " + queueDepth + " needs at least "
                    + queueDepth);
        }
        if (verify && (blockSize < Pattern.HEADER_BYTES || blockSize % Long.BYTES != 0)) {
            throw new IllegalArgumentException("--verify needs blocks of at least " + Pattern.HEADER_BYTES
                    + " bytes, in multiples of 8; --bs was " + blockSize);
        }
    }

    /** Blocks of {@link #blockSize()} in {@link #size()}. */
    public long blocks() {
        return size / blockSize;
    }

    /** Whether the run lasts {@link #runtimeNs()} rather than {@link #ops()} requests. */
    public boolean timeBased() {
        return ops == 0;
    }

    public Job withQueueDepth(int depth) {
        return new Job(file, rw, blockSize, depth, direct, size, runtimeNs, warmupNs, ops, verify);
    }
}
