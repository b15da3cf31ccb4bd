package io.fdloop.internal.uring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static io.fdloop.internal.linux.IoUringLayout.BUF_ADDR;
import static io.fdloop.internal.linux.IoUringLayout.BUF_BID;
import static io.fdloop.internal.linux.IoUringLayout.BUF_LEN;
import static io.fdloop.internal.linux.IoUringLayout.BUF_RING_MAX_ENTRIES;
import static io.fdloop.internal.linux.IoUringLayout.BUF_RING_TAIL;
import static io.fdloop.internal.linux.IoUringLayout.BUF_SIZE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A provided buffer ring ({@code IORING_REGISTER_PBUF_RING}, Linux 5.19): {@code count} buffers of
 * {@code size} bytes that the kernel picks from when a receive names the ring's buffer group, so a
 * socket that is not receiving holds no buffer at all. The kernel takes buffers at the ring's head;
 * the loop gives each one back at the tail once the data it held has been handed over.
 * <pre>
 *   ring:     [ io_uring_buf 0 | io_uring_buf 1 | ... ]   entry i: addr, len, bid; tail in entry 0's resv
 *   buffers:  [ buffer 0 (size bytes) | buffer 1 | ... ]  buffer bid at buffers + bid * size
 * </pre>
 * The views {@link #view} hands out are cached per buffer, a few lengths each, so a stream whose
 * receives repeat their lengths (request/response traffic) allocates nothing once warm.
 *
 * <p><b>Loop thread only.</b>
 */
public final class BufferRing {
    private static final VarHandle SHORT = JAVA_SHORT.varHandle();
    /** Views kept per buffer; the lengths they have are the last ones seen in their slot. */
    private static final int VIEWS_PER_BUFFER = 4;
    /** The ring's memory must start on a page; 64 KiB covers every page size Linux uses on x86_64 and aarch64. */
    private static final long RING_ALIGNMENT = 64 * 1024;

    private final LoopRing loopRing;
    private final int groupId;
    private final int count;
    private final int size;
    private final int mask;
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment ring;
    private final MemorySegment buffers;
    private final long buffersAddress;
    private final MemorySegment[] views;
    private short tail; // ours: where the next buffer given back goes
    private boolean registered;

    private BufferRing(LoopRing loopRing, int groupId, int count, int size) {
        this.loopRing = loopRing;
        this.groupId = groupId;
        this.count = count;
        this.size = size;
        this.mask = count - 1;
        this.ring = arena.allocate(BUF_SIZE * count, RING_ALIGNMENT);
        this.buffers = arena.allocate((long) size * count, 4096);
        this.buffersAddress = buffers.address();
        this.views = new MemorySegment[count * VIEWS_PER_BUFFER];
    }

    /**
     * {@code count} buffers (a power of two) of {@code size} bytes, all given to the kernel as buffer group
     * {@code groupId} of {@code loopRing}.
     *
     * @throws IOException when the kernel refuses the ring (before Linux 5.19 it has none)
     */
    public static BufferRing register(LoopRing loopRing, int groupId, int count, int size) throws IOException {
        if (Integer.bitCount(count) != 1 || count > BUF_RING_MAX_ENTRIES) {
            throw new IllegalArgumentException("a provided buffer ring holds a power of two of at most "
                    + BUF_RING_MAX_ENTRIES + " buffers, not " + count);
        }
        BufferRing buffers = new BufferRing(loopRing, groupId, count, size);
        for (int bid = 0; bid < count; bid++) {
            buffers.put(bid);
        }
        buffers.publish();
        loopRing.registerBufferRing(buffers.ring.address(), count, groupId);
        buffers.registered = true;
        return buffers;
    }

    public int groupId() {
        return groupId;
    }

    /** The size of every buffer, the most one receive into the ring takes. */
    public int bufferSize() {
        return size;
    }

    /** The first {@code length} bytes of buffer {@code bid}, valid until {@link #recycle} gives it back. */
    public MemorySegment view(int bid, int length) {
        int slot = bid * VIEWS_PER_BUFFER + (length * 0x9E3779B1 >>> 30);
        MemorySegment view = views[slot];
        if (view == null || view.byteSize() != length) {
            view = buffers.asSlice((long) bid * size, length);
            views[slot] = view;
        }
        return view;
    }

    /** The address of buffer {@code bid}. */
    public long address(int bid) {
        return buffersAddress + (long) bid * size;
    }

    /** Gives buffer {@code bid} back to the kernel: its bytes may be overwritten from now on. */
    public void recycle(int bid) {
        put(bid);
        publish();
    }

    private void put(int bid) {
        long entry = BUF_SIZE * (tail & mask);
        ring.set(JAVA_LONG, entry + BUF_ADDR, buffersAddress + (long) bid * size);
        ring.set(JAVA_INT, entry + BUF_LEN, size);
        ring.set(JAVA_SHORT, entry + BUF_BID, (short) bid);
        tail++;
    }

    private void publish() {
        // Release: the entries are written before the kernel sees the tail that covers them.
        SHORT.setRelease(ring, BUF_RING_TAIL, tail);
    }

    /**
     * Takes the group back from the kernel. Only once no receive can still pick a buffer: the memory
     * stays reachable through this object, and whoever holds it decides when that is.
     */
    public void unregister() {
        if (registered) {
            registered = false;
            loopRing.unregisterBufferRing(groupId);
        }
    }

    @Override
    public String toString() {
        return "BufferRing[group " + groupId + ", " + count + " x " + size + " bytes]";
    }
}
