package io.fdloop.internal.file.aio;

import io.fdloop.internal.linux.AioRingHeader;
import io.fdloop.internal.linux.IoEvent;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Reads Linux AIO completions straight from the ring the kernel maps into user memory (see
 * {@link AioRingHeader}), as Seastar, Artemis and fio's {@code userspace_reap} do: no system call
 * per reap. Safe only with one reaper per context, and only for the ring layout it recognises.
 *
 * <p><b>Loop thread only</b> (the single reaper).
 */
final class AioCompletionRing {
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final MemorySegment ring;
    private final int entries;
    private final long eventsOffset;

    private AioCompletionRing(MemorySegment ring, int entries, long eventsOffset) {
        this.ring = ring;
        this.entries = entries;
        this.eventsOffset = eventsOffset;
    }

    /** The ring at {@code context}, or null when its header is not the layout this class knows. */
    static AioCompletionRing map(long context) {
        MemorySegment header = MemorySegment.ofAddress(context).reinterpret(AioRingHeader.SIZE);
        int magic = header.get(JAVA_INT, AioRingHeader.MAGIC);
        int incompatible = header.get(JAVA_INT, AioRingHeader.INCOMPAT_FEATURES);
        int headerLength = header.get(JAVA_INT, AioRingHeader.HEADER_LENGTH);
        int entries = header.get(JAVA_INT, AioRingHeader.NR);
        if (magic != AioRingHeader.AIO_RING_MAGIC || incompatible != 0 || headerLength != AioRingHeader.SIZE
                || entries <= 0) {
            return null;
        }
        return new AioCompletionRing(
                MemorySegment.ofAddress(context).reinterpret(headerLength + (long) entries * IoEvent.SIZE),
                entries, headerLength);
    }

    /** {@code nr} from the header: how many events the ring holds. */
    int entries() {
        return entries;
    }

    boolean isEmpty() {
        // Acquire: the kernel fills the io_event before it publishes tail (smp_wmb in aio_complete).
        return ring.get(JAVA_INT, AioRingHeader.HEAD) == (int) INT.getAcquire(ring, AioRingHeader.TAIL);
    }

    /** Hands every visible completion to {@code consumer}; returns how many. */
    int reap(EventConsumer consumer) {
        int head = ring.get(JAVA_INT, AioRingHeader.HEAD);
        int tail = (int) INT.getAcquire(ring, AioRingHeader.TAIL);
        int reaped = 0;
        while (head != tail) {
            long event = eventsOffset + (long) head * IoEvent.SIZE;
            long data = ring.get(JAVA_LONG, event + IoEvent.DATA);
            long res = ring.get(JAVA_LONG, event + IoEvent.RES);
            head = head + 1 == entries ? 0 : head + 1;
            // Release: our reads of the events come before the kernel may reuse their slots.
            INT.setRelease(ring, AioRingHeader.HEAD, head);
            reaped++;
            consumer.accept(data, res);
            tail = (int) INT.getAcquire(ring, AioRingHeader.TAIL);
        }
        return reaped;
    }

    @FunctionalInterface
    interface EventConsumer {
        void accept(long data, long res);
    }
}
