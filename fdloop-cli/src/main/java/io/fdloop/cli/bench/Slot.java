package io.fdloop.cli.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * One request kept outstanding: its buffer, what it is doing and what it measured.
 *
 * <p><b>Not thread-safe</b>: driven by one thread at a time (its own thread, the loop thread, or
 * whichever pool thread runs its completion; each completion happens-after the submit that caused
 * it). The controlling thread reads {@link #measured} without synchronisation only to draw
 * progress, and the histogram only after the slot stopped.
 */
public final class Slot {
    /** Latencies up to a minute are recorded as they are; longer ones as a minute. */
    static final long MAX_LATENCY_NS = 60_000_000_000L;

    final int index;
    /** The buffer: a direct, aligned ByteBuffer and the same memory as a segment. */
    final ByteBuffer buffer;
    final MemorySegment segment;
    /** Submit-to-completion times in nanoseconds, of the requests that count. */
    final Histogram latencies = new Histogram(MAX_LATENCY_NS, 3);
    long offset;
    boolean write;
    long submittedNs;
    long measured;

    Slot(int index, MemorySegment segment) {
        this.index = index;
        this.segment = segment;
        this.buffer = segment.asByteBuffer();
    }

    /** Records a completion at {@code nowNs}; allocation-free (the histogram never resizes). */
    void record(long nowNs) {
        latencies.recordValue(Math.min(nowNs - submittedNs, MAX_LATENCY_NS));
        measured++;
    }

    /**
     * Picks the next request from {@code workload} and, when it writes under {@code --verify}, fills
     * the buffer with its pattern.
     */
    void prepare(Workload workload, boolean verify) {
        offset = workload.nextOffset(index);
        write = workload.nextIsWrite(index);
        if (write && verify) {
            Pattern.fill(segment, offset, workload.nextSeed(index));
        }
    }

    /** After a completion of {@code bytes}: null when it is right, else what is wrong (a short transfer, a bad pattern). */
    IOException problem(long bytes, int blockSize, boolean verify) {
        if (bytes != blockSize) {
            return new IOException((write ? "short write: " : "short read: ") + bytes + " of " + blockSize
                    + " bytes at offset " + offset);
        }
        String bad = verify && !write ? Pattern.check(segment, offset) : null;
        return bad == null ? null : new VerifyException(bad);
    }
}
