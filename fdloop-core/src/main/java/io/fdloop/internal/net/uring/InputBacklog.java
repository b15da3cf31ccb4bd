package io.fdloop.internal.net.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Bytes a connection received that nobody can take yet: the receives the kernel completed after
 * {@code pauseReading()} and before the cancel of its multishot receive took effect. They are copied out
 * of the provided buffers (which go straight back to the kernel) and delivered, in order and before
 * anything newer, once reading resumes or a read into the user's buffer asks for them. A rare path:
 * memory is allocated only while it is in use.
 *
 * <p><b>Loop thread only.</b>
 */
final class InputBacklog {
    private MemorySegment memory;
    private long start;
    private long end;

    boolean isEmpty() {
        return start == end;
    }

    long size() {
        return end - start;
    }

    void append(MemorySegment src, long offset, long length) {
        if (memory == null || memory.byteSize() - end < length) {
            long needed = end - start + length;
            MemorySegment grown = Arena.ofAuto().allocate(Math.max(needed, memory == null ? 0 : 2 * memory.byteSize()), 16);
            if (memory != null) {
                MemorySegment.copy(memory, start, grown, 0, end - start);
            }
            memory = grown;
            end -= start;
            start = 0;
        }
        MemorySegment.copy(src, offset, memory, end, length);
        end += length;
    }

    /** Everything held, valid until the next append or take. */
    MemorySegment view() {
        return memory.asSlice(start, end - start);
    }

    /** Drops the first {@code length} bytes; the memory goes when it is empty. */
    void take(long length) {
        start += length;
        if (start == end) {
            clear();
        }
    }

    void clear() {
        memory = null;
        start = end = 0;
    }
}
