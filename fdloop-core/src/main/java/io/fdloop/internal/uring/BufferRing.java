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
 * A provided buffer ring ({@code IORING_REGISTER_PBUF_RING}, Linux 5.19): buffers of {@code size}
 * bytes that the kernel picks from when a receive names the ring's buffer group, so a socket that is
 * not receiving holds no buffer at all. The kernel takes buffers at the ring's head; the loop gives
 * each one back at the tail once the data it held has been handed over.
 * <pre>
 *   ring:     [ io_uring_buf 0 | io_uring_buf 1 | ... ]   entry i: addr, len, bid; tail in entry 0's resv
 *   buffers:  chunks of buffers, buffer bid at address(bid)
 * </pre>
 * The ring holds few buffers at first and {@linkplain #grow grows} when receives find it empty
 * ({@code ENOBUFS}), up to its entries: a buffer comes back as soon as its data is handed over, so the
 * buffers in use are those of the completions not yet reaped, and the fewer buffers cycle, the more of
 * them are still in the CPU's caches when the kernel writes the next receive into them (measured on a
 * pipelined 4 KiB echo, on a shared 2-core machine: a ring cycling through 8 MiB cost the server
 * 20-30 % more CPU per request than epoll's one hot read buffer, one of 1-2 MiB about 10 %).
 *
 * <p>The views {@link #view} hands out are cached per buffer, a few lengths each, so a stream whose
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
    private final int entries;
    private final int size;
    private final int mask;
    private final MemorySegment ring;
    private final MemorySegment[] buffers; // by bid
    private final long[] addresses; // by bid
    private final MemorySegment[] views;
    private int count; // buffers made so far, all given to the kernel
    private short tail; // ours: where the next buffer given back goes
    private boolean registered;

    private BufferRing(LoopRing loopRing, int groupId, int entries, int size) {
        this.loopRing = loopRing;
        this.groupId = groupId;
        this.entries = entries;
        this.size = size;
        this.mask = entries - 1;
        this.ring = Arena.ofAuto().allocate(BUF_SIZE * entries, RING_ALIGNMENT);
        this.buffers = new MemorySegment[entries];
        this.addresses = new long[entries];
        this.views = new MemorySegment[entries * VIEWS_PER_BUFFER];
    }

    /**
     * A ring of {@code entries} (a power of two) for buffers of {@code size} bytes, registered as buffer group
     * {@code groupId} of {@code loopRing}, with {@code initial} buffers given to the kernel.
     *
     * @throws IOException when the kernel refuses the ring (before Linux 5.19 it has none)
     */
    public static BufferRing register(LoopRing loopRing, int groupId, int entries, int size, int initial)
            throws IOException {
        if (Integer.bitCount(entries) != 1 || entries > BUF_RING_MAX_ENTRIES) {
            throw new IllegalArgumentException("a provided buffer ring holds a power of two of at most "
                    + BUF_RING_MAX_ENTRIES + " buffers, not " + entries);
        }
        if (initial < 1 || initial > entries) {
            throw new IllegalArgumentException("a ring of " + entries + " entries starts with 1 to " + entries
                    + " buffers, not " + initial);
        }
        BufferRing buffers = new BufferRing(loopRing, groupId, entries, size);
        buffers.add(initial);
        loopRing.registerBufferRing(buffers.ring.address(), entries, groupId);
        buffers.registered = true;
        return buffers;
    }

    /** How many buffers the kernel has to pick from (in use or not). */
    public int count() {
        return count;
    }

    /**
     * Doubles the buffers the kernel picks from, up to the ring's entries: the ring ran empty. False when
     * it holds all it can already.
     */
    public boolean grow() {
        if (count == entries) {
            return false;
        }
        add(Math.min(count, entries - count));
        return true;
    }

    private void add(int more) {
        MemorySegment chunk = Arena.ofAuto().allocate((long) size * more, 4096);
        for (int i = 0; i < more; i++) {
            int bid = count + i;
            buffers[bid] = chunk.asSlice((long) size * i, size);
            addresses[bid] = buffers[bid].address();
            put(bid);
        }
        count += more;
        publish();
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
            view = buffers[bid].asSlice(0, length);
            views[slot] = view;
        }
        return view;
    }

    /** The address of buffer {@code bid}. */
    public long address(int bid) {
        return addresses[bid];
    }

    /** Gives buffer {@code bid} back to the kernel: its bytes may be overwritten from now on. */
    public void recycle(int bid) {
        put(bid);
        publish();
    }

    private void put(int bid) {
        long entry = BUF_SIZE * (tail & mask);
        ring.set(JAVA_LONG, entry + BUF_ADDR, addresses[bid]);
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
        return "BufferRing[group " + groupId + ", " + count + " of " + entries + " x " + size + " bytes]";
    }
}
