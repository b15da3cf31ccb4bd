package io.fdloop.internal.uring;

import io.fdloop.internal.file.CompletionSink;
import io.fdloop.internal.file.FileBackend;
import io.fdloop.internal.file.OpKind;
import io.fdloop.internal.file.OpTable;
import io.fdloop.internal.file.SlotQueue;
import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.Errors;
import io.fdloop.internal.linux.Eventfd;
import io.fdloop.internal.linux.Syscalls;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

import static io.fdloop.internal.linux.IoUringLayout.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * File operations on io_uring, signalled through an eventfd registered with
 * {@code IORING_REGISTER_EVENTFD}: the seed's pattern on the newer interface. Everything queued
 * during one iteration goes out in one {@code io_uring_enter}; every wake-up drains the whole
 * completion queue, because for io_uring the eventfd is only a hint (several completions may
 * post one signal). Buffered files are fine here: the kernel hands what would block to its own
 * workers.
 *
 * <p>No more than the completion queue's size is ever in flight (and the kernel was asked for
 * {@code IORING_FEAT_NODROP}), so no completion can be lost; the excess waits here.
 *
 * <p><b>Loop thread only.</b>
 */
public final class UringBackend implements FileBackend {
    /** The user_data of the backend's own requests (cancels); every operation's is its slot, >= 0. */
    private static final long INTERNAL_USER_DATA = -1L;

    private final Syscalls syscalls;
    private final OpTable ops;
    private final CompletionSink sink;
    private final UringRing ring;
    private final int eventFd;
    private final int capacity;
    private final SlotQueue pending = new SlotQueue();
    private final SlotQueue pendingCancels = new SlotQueue(); // fds whose requests are to be cancelled
    private final UringRing.CompletionConsumer onCompletion = this::onCompletion;
    private int inFlight; // consumed by the kernel or published to it, not yet completed
    private int unsubmitted; // published in the SQ, not yet consumed by io_uring_enter
    private boolean stalled;
    private long lastSignalCount;
    private int reaped;
    private boolean closed;

    private UringBackend(Syscalls syscalls, OpTable ops, CompletionSink sink, UringRing ring, int eventFd) {
        this.syscalls = syscalls;
        this.ops = ops;
        this.sink = sink;
        this.ring = ring;
        this.eventFd = eventFd;
        this.capacity = Math.min(ring.cqEntries, 2 * ring.sqEntries);
    }

    /**
     * Sets up a ring of {@code entries} submission entries (the completion queue twice that) and
     * registers a fresh eventfd with it.
     *
     * @throws IOException when io_uring cannot be used here, saying why
     */
    public static UringBackend open(Syscalls syscalls, OpTable ops, CompletionSink sink, int entries)
            throws IOException {
        UringRing ring = UringRing.open(syscalls, Integer.highestOneBit(Math.max(2, Math.min(entries, 32768)) * 2 - 1));
        int fd;
        try {
            fd = Eventfd.create(syscalls, 0, 0);
        } catch (IOException e) {
            ring.close();
            throw e;
        }
        try {
            ring.registerEventfd(fd);
        } catch (IOException e) {
            ring.close();
            syscalls.close(fd);
            throw e;
        }
        return new UringBackend(syscalls, ops, sink, ring, fd);
    }

    @Override
    public String name() {
        return "uring";
    }

    /** Submission entries in the ring. */
    public int submissionEntries() {
        return ring.sqEntries;
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
        stalled = false;
        int room = Math.min(ring.freeSubmissionEntries(), capacity - inFlight);
        int batch = Math.min(pending.size(), room);
        for (int i = 0; i < batch; i++) {
            prepare(ring.nextEntryOffset(i), pending.peek(i));
        }
        // After the requests: the kernel takes SQEs in order, so a cancel sees those sent with it.
        int cancels = Math.min(pendingCancels.size(), room - batch);
        for (int i = 0; i < cancels; i++) {
            prepareCancel(ring.nextEntryOffset(batch + i), pendingCancels.peek(i));
        }
        if (batch + cancels > 0) {
            pending.remove(batch);
            pendingCancels.remove(cancels);
            ring.publish(batch + cancels);
            inFlight += batch + cancels;
            unsubmitted += batch + cancels;
        }
        if (unsubmitted == 0) {
            return 0;
        }
        int r = ring.enter(unsubmitted);
        if (r >= 0) {
            unsubmitted -= r;
            return r;
        }
        if (r == -Errno.EAGAIN || r == -Errno.EBUSY) {
            // The kernel is short of memory or has completions to flush first: what it did not
            // take stays in the ring; retry after completions, or soon when none can come.
            stalled = inFlight == unsubmitted;
            return 0;
        }
        throw new IllegalStateException(Errors.describe("io_uring_enter", -r, null));
    }

    private void prepare(long sqe, int slot) {
        MemorySegment sqes = ring.sqes;
        int kind = ops.kind(slot);
        byte opcode = switch (kind) {
            case OpKind.READ -> IORING_OP_READ;
            case OpKind.WRITE -> IORING_OP_WRITE;
            case OpKind.READV -> IORING_OP_READV;
            case OpKind.WRITEV -> IORING_OP_WRITEV;
            case OpKind.FSYNC, OpKind.FDATASYNC -> IORING_OP_FSYNC;
            default -> throw new IllegalStateException("unknown operation kind " + kind);
        };
        boolean vector = kind == OpKind.READV || kind == OpKind.WRITEV;
        boolean sync = kind == OpKind.FSYNC || kind == OpKind.FDATASYNC;
        sqes.set(JAVA_BYTE, sqe + SQE_OPCODE, opcode);
        sqes.set(JAVA_BYTE, sqe + SQE_FLAGS, (byte) 0);
        sqes.set(JAVA_SHORT, sqe + SQE_IOPRIO, (short) 0);
        sqes.set(JAVA_INT, sqe + SQE_FD, ops.fd(slot));
        sqes.set(JAVA_LONG, sqe + SQE_OFF, sync ? 0 : ops.position(slot));
        sqes.set(JAVA_LONG, sqe + SQE_ADDR, sync ? 0 : ops.address(slot));
        sqes.set(JAVA_INT, sqe + SQE_LEN, sync ? 0 : vector ? ops.vectorCount(slot) : (int) ops.length(slot));
        sqes.set(JAVA_INT, sqe + SQE_OP_FLAGS, kind == OpKind.FDATASYNC ? IORING_FSYNC_DATASYNC : 0);
        sqes.set(JAVA_LONG, sqe + SQE_USER_DATA, slot);
        sqes.set(JAVA_LONG, sqe + SQE_BUF_INDEX, 0L); // buf_index, personality, splice_fd_in
        sqes.set(JAVA_LONG, sqe + 48, 0L);
        sqes.set(JAVA_LONG, sqe + 56, 0L);
    }

    /** {@code IORING_OP_ASYNC_CANCEL} of every request on {@code fd} (Linux 5.19; older kernels refuse it). */
    private void prepareCancel(long sqe, int fd) {
        MemorySegment sqes = ring.sqes;
        sqes.asSlice(sqe, SQE_SIZE).fill((byte) 0);
        sqes.set(JAVA_BYTE, sqe + SQE_OPCODE, IORING_OP_ASYNC_CANCEL);
        sqes.set(JAVA_INT, sqe + SQE_FD, fd);
        sqes.set(JAVA_INT, sqe + SQE_OP_FLAGS, IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_FD);
        sqes.set(JAVA_LONG, sqe + SQE_USER_DATA, INTERNAL_USER_DATA);
    }

    @Override
    public void cancel(int fd) {
        pendingCancels.add(fd);
    }

    @Override
    public boolean stalled() {
        return stalled;
    }

    @Override
    public boolean hasVisibleCompletions() {
        return inFlight > 0 && ring.hasCompletions();
    }

    @Override
    public int reap(boolean signalled) {
        try {
            lastSignalCount = signalled ? Eventfd.read(syscalls, eventFd) : 0;
        } catch (IOException e) {
            throw new IllegalStateException("the io_uring eventfd failed", e);
        }
        reaped = 0;
        ring.reap(onCompletion);
        return reaped;
    }

    private void onCompletion(long userData, int res) {
        inFlight--;
        if (userData == INTERNAL_USER_DATA) {
            return; // a cancel's own result: the requests it cancelled complete with -ECANCELED
        }
        reaped++;
        sink.complete((int) userData, res);
    }

    @Override
    public long lastSignalCount() {
        return lastSignalCount;
    }

    @Override
    public boolean busy() {
        return inFlight > 0 || !pending.isEmpty() || !pendingCancels.isEmpty();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ring.close();
        syscalls.close(eventFd);
    }
}
