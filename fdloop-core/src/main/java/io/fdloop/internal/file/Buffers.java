package io.fdloop.internal.file;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * What {@link AsyncFile} needs to know of the buffers it is given: their native address and
 * length, whether the kernel may use them, and how to advance a {@link ByteBuffer}'s position
 * by the bytes transferred (as {@code java.nio} channels do).
 *
 * <p><b>Stateless; thread-safe.</b>
 */
final class Buffers {
    static final String HEAP_BUFFER = "cannot hand a heap buffer to the kernel (the garbage collector may move it "
            + "while the request is in flight): use ByteBuffer.allocateDirect, AlignedBuffers, or a MemorySegment from an Arena";

    private Buffers() {
    }

    /** Several buffers as one {@code struct iovec[]}, kept reachable with them until the completion. */
    record Vector(MemorySegment iovecs, Object[] buffers, long totalLength) {
    }

    /** The memory of {@code buffer} (a native segment or a direct ByteBuffer's remaining bytes). */
    static MemorySegment segment(Object buffer) {
        return buffer instanceof MemorySegment segment ? segment : MemorySegment.ofBuffer((ByteBuffer) buffer);
    }

    /** Copies the caller's buffers, in order, into the start of {@code kernel}. */
    static void copyIn(Object user, MemorySegment kernel) {
        if (!(user instanceof Object[] buffers)) {
            MemorySegment source = segment(user);
            MemorySegment.copy(source, 0, kernel, 0, source.byteSize());
            return;
        }
        long offset = 0;
        for (Object buffer : buffers) {
            MemorySegment source = segment(buffer);
            MemorySegment.copy(source, 0, kernel, offset, source.byteSize());
            offset += source.byteSize();
        }
    }

    /**
     * Copies the first {@code count} bytes of {@code kernel} into the caller's buffers, in order.
     *
     * @throws IllegalStateException when a buffer's arena was closed meanwhile
     */
    static void copyOut(MemorySegment kernel, Object user, long count) {
        if (!(user instanceof Object[] buffers)) {
            MemorySegment.copy(kernel, 0, segment(user), 0, count);
            return;
        }
        long offset = 0;
        for (Object buffer : buffers) {
            if (offset == count) {
                return;
            }
            MemorySegment target = segment(buffer);
            long n = Math.min(count - offset, target.byteSize());
            MemorySegment.copy(kernel, offset, target, 0, n);
            offset += n;
        }
    }

    /** Why the kernel cannot use {@code buffer} for this operation, or null when it can. */
    static String problem(Object buffer, boolean kernelWrites) {
        if (buffer instanceof MemorySegment segment) {
            if (!segment.isNative()) {
                return HEAP_BUFFER;
            }
            if (kernelWrites && segment.isReadOnly()) {
                return "cannot read into a read-only segment";
            }
            return null;
        }
        if (buffer instanceof ByteBuffer bytes) {
            if (!bytes.isDirect()) {
                return HEAP_BUFFER;
            }
            if (kernelWrites && bytes.isReadOnly()) {
                return "cannot read into a read-only buffer";
            }
            return null;
        }
        return buffer == null ? "the buffer is null" : "unsupported buffer type " + buffer.getClass().getName();
    }

    static long address(Object buffer) {
        return buffer instanceof MemorySegment segment ? segment.address()
                : MemorySegment.ofBuffer((ByteBuffer) buffer).address();
    }

    static long length(Object buffer) {
        return buffer instanceof MemorySegment segment ? segment.byteSize() : ((ByteBuffer) buffer).remaining();
    }

    /** The iovec array for {@code buffers}, which {@link #problem} accepted one by one. */
    static Vector vector(Object[] buffers) {
        MemorySegment iovecs = Arena.ofAuto().allocate(16L * buffers.length, 8);
        long total = 0;
        for (int i = 0; i < buffers.length; i++) {
            long length = length(buffers[i]);
            iovecs.set(JAVA_LONG, 16L * i, address(buffers[i]));
            iovecs.set(JAVA_LONG, 16L * i + 8, length);
            total += length;
        }
        return new Vector(iovecs, buffers.clone(), total);
    }

    /**
     * Moves ByteBuffer positions forward by {@code transferred} bytes, filling them in order:
     * {@code buffer} is a segment, a ByteBuffer, a {@link Vector} or an array of segments and buffers.
     */
    static void advance(Object buffer, long transferred) {
        if (buffer instanceof ByteBuffer bytes) {
            bytes.position(bytes.position() + (int) transferred);
        } else if (buffer instanceof Vector vector) {
            advance(vector.buffers(), transferred);
        } else if (buffer instanceof Object[] buffers) {
            long left = transferred;
            for (Object b : buffers) {
                if (left == 0) {
                    break;
                }
                if (b instanceof ByteBuffer bytes) {
                    int n = (int) Math.min(left, bytes.remaining());
                    bytes.position(bytes.position() + n);
                    left -= n;
                } else {
                    left -= Math.min(left, ((MemorySegment) b).byteSize());
                }
            }
        }
    }
}
