package io.fdloop.journal;

import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.ForwardingSyscalls;
import io.fdloop.internal.linux.IoEvent;
import io.fdloop.internal.linux.Iocb;

import java.lang.foreign.MemorySegment;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The real kernel, except that the next {@code n} writes to journal segments, or syncs, fail
 * with a chosen errno: for the thread backend the call is not made at all; for Linux AIO (reaped
 * with {@code io_getevents}) the completion's result is replaced, as a device error would be.
 */
final class FaultySyscalls extends ForwardingSyscalls {
    private final Set<Integer> segmentFds = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<Long, int[]> submitted = new ConcurrentHashMap<>();
    final AtomicInteger writesToFail = new AtomicInteger();
    final AtomicInteger syncsToFail = new AtomicInteger();
    final AtomicInteger injected = new AtomicInteger();
    volatile int writeErrno = Errno.EIO;
    volatile int syncErrno = Errno.EIO;

    @Override
    public int open(MemorySegment path, int flags, int mode) {
        int fd = kernel.open(path, flags, mode);
        String name = path.getString(0);
        if (fd >= 0 && name.matches(".*/segment-\\d+\\.log")) {
            segmentFds.add(fd);
        }
        return fd;
    }

    @Override
    public int close(int fd) {
        segmentFds.remove(fd);
        return kernel.close(fd);
    }

    @Override
    public long pwrite(int fd, long address, long count, long offset) {
        if (segmentFds.contains(fd) && take(writesToFail)) {
            return -writeErrno;
        }
        return kernel.pwrite(fd, address, count, offset);
    }

    @Override
    public int fdatasync(int fd) {
        if (take(syncsToFail)) {
            return -syncErrno;
        }
        return kernel.fdatasync(fd);
    }

    @Override
    public int ioSubmit(long context, long count, MemorySegment iocbPointers) {
        // What each request is, by its data field: the iocb memory itself is reused for the next
        // submission while this one is still in flight (the kernel copied it).
        for (int i = 0; i < count; i++) {
            MemorySegment iocb = MemorySegment.ofAddress(iocbPointers.getAtIndex(JAVA_LONG, i)).reinterpret(Iocb.SIZE);
            submitted.put(iocb.get(JAVA_LONG, Iocb.DATA),
                    new int[]{iocb.get(JAVA_SHORT, Iocb.OPCODE), iocb.get(JAVA_INT, Iocb.FILDES)});
        }
        return kernel.ioSubmit(context, count, iocbPointers);
    }

    @Override
    public int ioGetevents(long context, long minCount, long count, MemorySegment events, MemorySegment timeout) {
        int n = kernel.ioGetevents(context, minCount, count, events, timeout);
        for (int i = 0; i < n; i++) {
            long event = IoEvent.SIZE * i;
            int[] request = submitted.get(events.get(JAVA_LONG, event + IoEvent.DATA));
            int opcode = request[0];
            int fd = request[1];
            if (opcode == Iocb.IOCB_CMD_PWRITE && segmentFds.contains(fd) && take(writesToFail)) {
                events.set(JAVA_LONG, event + IoEvent.RES, -writeErrno);
            } else if (opcode == Iocb.IOCB_CMD_FDSYNC && take(syncsToFail)) {
                events.set(JAVA_LONG, event + IoEvent.RES, -syncErrno);
            }
        }
        return n;
    }

    private boolean take(AtomicInteger left) {
        while (true) {
            int n = left.get();
            if (n <= 0) {
                return false;
            }
            if (left.compareAndSet(n, n - 1)) {
                injected.incrementAndGet();
                return true;
            }
        }
    }
}
