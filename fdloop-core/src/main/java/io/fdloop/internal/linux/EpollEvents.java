package io.fdloop.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * An array of {@code struct epoll_event}, laid out for the running architecture (12 bytes
 * packed on x86_64, 16 on aarch64: see {@link Arch}).
 *
 * <p><b>Not thread-safe</b>: owned by one loop.
 */
public final class EpollEvents {
    public static final int EPOLLIN = 0x001, EPOLLOUT = 0x004, EPOLLERR = 0x008, EPOLLHUP = 0x010,
            EPOLLRDHUP = 0x2000, EPOLLET = 1 << 31;
    public static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;

    private final MemorySegment segment;
    private final int capacity;
    private final int size;
    private final int dataOffset;

    public EpollEvents(Arena arena, int capacity, Arch arch) {
        this.capacity = capacity;
        this.size = arch.epollEventSize();
        this.dataOffset = arch.epollEventDataOffset();
        this.segment = arena.allocate((long) size * capacity, 8);
    }

    public MemorySegment segment() {
        return segment;
    }

    public int capacity() {
        return capacity;
    }

    public int events(int index) {
        return segment.get(JAVA_INT_UNALIGNED, (long) index * size);
    }

    public long data(int index) {
        return segment.get(JAVA_LONG_UNALIGNED, (long) index * size + dataOffset);
    }

    public void set(int index, int events, long data) {
        segment.set(JAVA_INT_UNALIGNED, (long) index * size, events);
        segment.set(JAVA_LONG_UNALIGNED, (long) index * size + dataOffset, data);
    }
}
