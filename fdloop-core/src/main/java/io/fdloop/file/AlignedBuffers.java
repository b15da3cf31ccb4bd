package io.fdloop.file;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Allocates native buffers aligned for direct I/O.
 *
 * <p><b>Stateless; thread-safe.</b>
 *
 * <pre>{@code
 * MemorySegment block = AlignedBuffers.allocate(file, 4096);   // fits file.directAlignment()
 * }</pre>
 *
 * The forms without an arena allocate from {@link Arena#ofAuto()}: memory the garbage collector
 * frees once nothing references it, which an operation in flight does, so the kernel uses it
 * directly (zero copy). A buffer of an arena that can be closed ({@link Arena#ofShared()}) is
 * copied through a loop buffer instead, since the arena could be closed while the kernel uses it;
 * see {@link AsyncFile}.
 */
public final class AlignedBuffers {
    /** An alignment every Linux file system and device accepts for O_DIRECT: one page. */
    public static final int SAFE_ALIGNMENT = 4096;

    private AlignedBuffers() {
    }

    /**
     * {@code size} bytes aligned to {@code alignment}, freed by the garbage collector. Any thread.
     *
     * @param size      the buffer's size
     * @param alignment a power of two
     * @return the buffer, zeroed
     */
    public static MemorySegment allocate(long size, long alignment) {
        return allocate(Arena.ofAuto(), size, alignment);
    }

    /**
     * {@code size} bytes rounded up to, and aligned for, what {@code file} needs for direct I/O, freed
     * by the garbage collector. Any thread.
     *
     * @param file a file opened with {@link FileOption#DIRECT}
     * @param size the least size
     * @return the buffer, zeroed
     * @throws IllegalStateException when the file was not opened with DIRECT
     */
    public static MemorySegment allocate(AsyncFile file, long size) {
        return allocate(Arena.ofAuto(), file, size);
    }

    /**
     * {@code size} bytes aligned to {@code alignment}, from {@code arena}. Any thread.
     *
     * @param arena     where the memory comes from
     * @param size      the buffer's size
     * @param alignment a power of two
     * @return the buffer, zeroed
     */
    public static MemorySegment allocate(Arena arena, long size, long alignment) {
        checkAlignment(alignment);
        return arena.allocate(size, alignment);
    }

    /**
     * {@code size} bytes rounded up to, and aligned for, what {@code file} needs for direct I/O, from
     * {@code arena}. Any thread.
     *
     * @param arena where the memory comes from
     * @param file  a file opened with {@link FileOption#DIRECT}
     * @param size  the least size
     * @return the buffer, zeroed
     * @throws IllegalStateException when the file was not opened with DIRECT
     */
    public static MemorySegment allocate(Arena arena, AsyncFile file, long size) {
        DirectAlignment alignment = file.directAlignment();
        long rounded = roundUp(size, alignment.offset());
        return arena.allocate(rounded, Math.max(alignment.memory(), 8));
    }

    /**
     * A direct {@link ByteBuffer} of {@code capacity} bytes whose address is a multiple of
     * {@code alignment}. Any thread.
     *
     * @param capacity  the buffer's capacity
     * @param alignment a power of two
     * @return the buffer
     */
    public static ByteBuffer allocateDirect(int capacity, int alignment) {
        checkAlignment(alignment);
        int rounded = Math.toIntExact(roundUp(capacity, alignment));
        return ByteBuffer.allocateDirect(rounded + alignment - 1).alignedSlice(alignment).slice(0, capacity);
    }

    /**
     * The smallest multiple of {@code alignment} that is at least {@code value}.
     *
     * @param value     the value
     * @param alignment a power of two
     * @return the rounded value
     */
    public static long roundUp(long value, long alignment) {
        checkAlignment(alignment);
        return (value + alignment - 1) & -alignment;
    }

    private static void checkAlignment(long alignment) {
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two, was " + alignment);
        }
    }
}
