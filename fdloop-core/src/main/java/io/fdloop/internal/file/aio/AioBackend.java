package io.fdloop.internal.file.aio;

import io.fdloop.file.FileBackend;
import io.fdloop.internal.file.Backend;
import io.fdloop.internal.file.CompletionSink;
import io.fdloop.internal.file.OpTable;
import io.fdloop.internal.file.Operation;
import io.fdloop.internal.file.SlotQueue;
import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.Errors;
import io.fdloop.internal.linux.Eventfd;
import io.fdloop.internal.linux.Iocb;
import io.fdloop.internal.linux.IoEvent;
import io.fdloop.internal.linux.Syscalls;
import io.fdloop.internal.linux.Timespec;
import io.fdloop.internal.loop.CompletionSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * File operations on Linux AIO, signalled through an eventfd: the kernel's own mechanism for putting
 * disk completions in an epoll set ({@code IOCB_FLAG_RESFD}). Every iocb
 * carries {@code IOCB_FLAG_RESFD} and this backend's eventfd, which sits in the loop's epoll set;
 * when it turns readable the loop calls {@link #reap(boolean)}, which reads the counter, reaps the
 * completion ring and hands each result to the sink.
 *
 * <p>Everything queued during one iteration goes out in one {@code io_submit}. A partial submit or
 * EAGAIN leaves the rest queued, in order, for the next flush; nothing is dropped. No more than the
 * ring's capacity is ever in flight: the excess waits here.
 *
 * <p><b>Loop thread only.</b>
 */
public final class AioBackend implements Backend, CompletionSource {
    private final Syscalls syscalls;
    private final OpTable ops;
    private final CompletionSink sink;
    private final Arena arena;
    private final long context;
    private final AioCompletionRing ring; // null: reap with io_getevents
    private final int capacity;
    private final int eventFd;
    private final MemorySegment iocbs;
    private final MemorySegment iocbPointers;
    private final MemorySegment events;
    private final MemorySegment zeroTimeout;
    private final SlotQueue pending = new SlotQueue();
    // Requests io_submit refused, with their -errno: delivered at the next reap. Two pairs of arrays,
    // swapped at each delivery, so that refusals caused by the handlers wait for the reap after.
    private int[] refusedSlots = new int[16], deliveringSlots = new int[16];
    private long[] refusedResults = new long[16], deliveringResults = new long[16];
    private int refusedCount;
    private final AioCompletionRing.EventConsumer onEvent = this::onEvent;
    private int inFlight;
    private boolean stalled;
    private long lastSignalCount;
    private int reaped;
    private boolean closed;

    private AioBackend(Syscalls syscalls, OpTable ops, CompletionSink sink, Arena arena, long context,
                       AioCompletionRing ring, int capacity, int eventFd) {
        this.syscalls = syscalls;
        this.ops = ops;
        this.sink = sink;
        this.arena = arena;
        this.context = context;
        this.ring = ring;
        this.capacity = capacity;
        this.eventFd = eventFd;
        this.iocbs = arena.allocate(Iocb.SIZE * capacity, 64);
        this.iocbPointers = arena.allocate(8L * capacity, 8);
        for (int i = 0; i < capacity; i++) {
            iocbPointers.setAtIndex(JAVA_LONG, i, iocbs.address() + Iocb.SIZE * i);
        }
        this.events = arena.allocate(IoEvent.SIZE * capacity, 8);
        this.zeroTimeout = arena.allocate(Timespec.SIZE, 8);
    }

    /**
     * Sets up an AIO context of {@code depth} entries and its eventfd.
     *
     * @param forceIoGetevents reap with the system call even when the user-space ring is usable
     * @throws IOException when the kernel refuses: ENOSYS (no AIO), EAGAIN (fs.aio-max-nr reached)
     */
    public static AioBackend open(Syscalls syscalls, OpTable ops, CompletionSink sink, int depth,
                                  boolean forceIoGetevents) throws IOException {
        Arena arena = Arena.ofShared();
        MemorySegment contextOut = arena.allocate(8, 8);
        int r = syscalls.ioSetup(depth, contextOut);
        if (r < 0) {
            arena.close();
            throw setupFailure(r, depth);
        }
        long context = contextOut.get(JAVA_LONG, 0);
        int fd;
        try {
            fd = Eventfd.create(syscalls, 0, 0);
        } catch (IOException e) {
            syscalls.ioDestroy(context);
            arena.close();
            throw e;
        }
        AioCompletionRing ring = AioCompletionRing.map(context);
        // The ring keeps one entry free; never have more in flight than it can report.
        int capacity = ring == null ? depth : Math.min(depth, ring.entries() - 1);
        return new AioBackend(syscalls, ops, sink, arena, context, forceIoGetevents ? null : ring, capacity, fd);
    }

    /** Null when Linux AIO works here (a one-entry context can be set up), else why not. */
    public static String probe(Syscalls syscalls) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment contextOut = arena.allocate(8, 8);
            int r = syscalls.ioSetup(1, contextOut);
            if (r < 0) {
                return setupFailure(r, 1).getMessage();
            }
            syscalls.ioDestroy(contextOut.get(JAVA_LONG, 0));
            return null;
        }
    }

    private static IOException setupFailure(int negativeErrno, int depth) {
        return switch (-negativeErrno) {
            case Errno.EAGAIN -> new IOException(Errors.describe("io_setup", Errno.EAGAIN, null)
                    + ": fs.aio-max-nr is exhausted (" + depth + " more events asked; see /proc/sys/fs/aio-nr and aio-max-nr)");
            case Errno.ENOSYS -> new IOException(Errors.describe("io_setup", Errno.ENOSYS, null)
                    + ": this kernel has no Linux AIO (CONFIG_AIO), or a seccomp profile blocks it");
            default -> Errors.ioException("io_setup", negativeErrno, null);
        };
    }

    @Override
    public String name() {
        return "aio";
    }

    @Override
    public FileBackend kind() {
        return FileBackend.AIO;
    }

    @Override
    public int eventFd() {
        return eventFd;
    }

    @Override
    public void submit(int slot) {
        pending.add(slot);
    }

    @Override
    public int flush() {
        int submitted = 0;
        stalled = false;
        while (!pending.isEmpty() && inFlight < capacity) {
            int batch = Math.min(pending.size(), capacity - inFlight);
            for (int i = 0; i < batch; i++) {
                prepare(i, pending.peek(i));
            }
            int r = syscalls.ioSubmit(context, batch, iocbPointers);
            if (r > 0) {
                // A partial submit: the next round starts at the first refused iocb, so its own
                // error (or EAGAIN) comes back as the result of that io_submit.
                pending.remove(r);
                inFlight += r;
                submitted += r;
            } else if (r == -Errno.EAGAIN || r == 0) {
                // The kernel is out of request slots: wait for completions, or retry soon when none can come.
                stalled = inFlight == 0;
                return submitted;
            } else if (r != -Errno.EINTR) {
                // io_submit reports an error only for the first iocb: fail that one, send the rest. The
                // failure is delivered from the loop's reap step, never from inside flush: a handler
                // that retries at once must not keep the loop here.
                refuse(pending.peek(0), r);
                pending.remove(1);
            }
        }
        return submitted;
    }

    private void refuse(int slot, long negativeErrno) {
        if (refusedCount == refusedSlots.length) {
            refusedSlots = Arrays.copyOf(refusedSlots, refusedCount * 2);
            refusedResults = Arrays.copyOf(refusedResults, refusedCount * 2);
        }
        refusedSlots[refusedCount] = slot;
        refusedResults[refusedCount++] = negativeErrno;
    }

    @Override
    public boolean stalled() {
        return stalled;
    }

    /** Linux AIO cannot cancel file I/O ({@code io_cancel} works only for a few drivers): nothing to do. */
    @Override
    public void cancel(int fd) {
    }

    private void prepare(int index, int slot) {
        Operation op = ops.operation(slot);
        short opcode = switch (op) {
            case READ -> Iocb.IOCB_CMD_PREAD;
            case WRITE -> Iocb.IOCB_CMD_PWRITE;
            case READV -> Iocb.IOCB_CMD_PREADV;
            case WRITEV -> Iocb.IOCB_CMD_PWRITEV;
            case FSYNC -> Iocb.IOCB_CMD_FSYNC;
            case FDATASYNC -> Iocb.IOCB_CMD_FDSYNC;
            case WRITE_FDATASYNC -> ops.firstStep(slot) == OpTable.NO_RESULT ? Iocb.IOCB_CMD_PWRITE : Iocb.IOCB_CMD_FDSYNC;
        };
        if (opcode == Iocb.IOCB_CMD_FDSYNC || opcode == Iocb.IOCB_CMD_FSYNC) {
            Iocb.fill(iocbs, Iocb.SIZE * index, slot, opcode, ops.fd(slot), 0, 0, 0, eventFd); // the kernel wants them 0
            return;
        }
        Iocb.fill(iocbs, Iocb.SIZE * index, slot, opcode, ops.fd(slot), ops.address(slot),
                op.isVectored() ? ops.vectorCount(slot) : ops.length(slot), ops.position(slot), eventFd);
    }

    @Override
    public boolean hasVisibleCompletions() {
        return refusedCount > 0 || ring != null && inFlight > 0 && !ring.isEmpty();
    }

    @Override
    public int reap(boolean signalled) {
        lastSignalCount = signalled ? Eventfd.drain(syscalls, eventFd, "AIO") : 0;
        reaped = 0;
        deliverRefused();
        if (ring != null) {
            ring.reap(onEvent);
        } else {
            reapWithSyscall();
        }
        return reaped;
    }

    @Override
    public long lastSignalCount() {
        return lastSignalCount;
    }

    private void reapWithSyscall() {
        while (inFlight > 0) {
            int n = syscalls.ioGetevents(context, 0, capacity, events, zeroTimeout);
            if (n == -Errno.EINTR) {
                continue;
            }
            if (n < 0) {
                throw new IllegalStateException(Errors.describe("io_getevents", -n, null));
            }
            if (n == 0) {
                return;
            }
            for (int i = 0; i < n; i++) {
                long event = IoEvent.SIZE * i;
                onEvent(events.get(JAVA_LONG, event + IoEvent.DATA), events.get(JAVA_LONG, event + IoEvent.RES));
            }
        }
    }

    /** Delivers the refusals queued before this reap; those their handlers cause wait for the next one. */
    private void deliverRefused() {
        int count = refusedCount;
        if (count == 0) {
            return;
        }
        int[] slots = refusedSlots;
        long[] results = refusedResults;
        refusedSlots = deliveringSlots.length >= slots.length ? deliveringSlots : new int[slots.length];
        refusedResults = deliveringResults.length >= results.length ? deliveringResults : new long[results.length];
        refusedCount = 0;
        deliveringSlots = slots;
        deliveringResults = results;
        for (int i = 0; i < count; i++) {
            reaped++;
            sink.complete(slots[i], results[i]);
        }
    }

    private void onEvent(long data, long res) {
        inFlight--;
        reaped++;
        int slot = (int) data;
        if (ops.operation(slot) == Operation.WRITE_FDATASYNC && ops.firstStep(slot) == OpTable.NO_RESULT
                && res == ops.length(slot)) {
            // Linux AIO cannot link requests: the sync goes out with this iteration's submissions.
            ops.recordFirstStep(slot, res);
            pending.add(slot);
            return;
        }
        sink.complete(slot, res);
    }

    @Override
    public boolean busy() {
        return inFlight > 0 || !pending.isEmpty() || refusedCount > 0;
    }

    /**
     * Destroys the context and frees the iocbs. {@code io_destroy} waits for requests in flight, so
     * when some were abandoned the context is left to the process's end rather than block the close.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (inFlight > 0) {
            return;
        }
        syscalls.ioDestroy(context);
        syscalls.close(eventFd);
        arena.close();
    }
}
