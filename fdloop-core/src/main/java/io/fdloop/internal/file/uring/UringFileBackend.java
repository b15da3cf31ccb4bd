package io.fdloop.internal.file.uring;

import io.fdloop.file.FileBackend;
import io.fdloop.internal.file.Backend;
import io.fdloop.internal.file.CompletionSink;
import io.fdloop.internal.file.OpTable;
import io.fdloop.internal.file.Operation;
import io.fdloop.internal.file.SlotQueue;
import io.fdloop.internal.uring.LoopRing;

import java.lang.foreign.MemorySegment;

import static io.fdloop.internal.linux.IoUringLayout.IORING_ASYNC_CANCEL_ALL;
import static io.fdloop.internal.linux.IoUringLayout.IORING_ASYNC_CANCEL_FD;
import static io.fdloop.internal.linux.IoUringLayout.IORING_FSYNC_DATASYNC;
import static io.fdloop.internal.linux.IoUringLayout.IORING_OP_ASYNC_CANCEL;
import static io.fdloop.internal.linux.IoUringLayout.IORING_OP_FSYNC;
import static io.fdloop.internal.linux.IoUringLayout.IORING_OP_READ;
import static io.fdloop.internal.linux.IoUringLayout.IORING_OP_READV;
import static io.fdloop.internal.linux.IoUringLayout.IORING_OP_WRITE;
import static io.fdloop.internal.linux.IoUringLayout.IORING_OP_WRITEV;
import static io.fdloop.internal.linux.IoUringLayout.SQE_ADDR;
import static io.fdloop.internal.linux.IoUringLayout.SQE_FD;
import static io.fdloop.internal.linux.IoUringLayout.SQE_LEN;
import static io.fdloop.internal.linux.IoUringLayout.SQE_OFF;
import static io.fdloop.internal.linux.IoUringLayout.SQE_OPCODE;
import static io.fdloop.internal.linux.IoUringLayout.SQE_OP_FLAGS;
import static io.fdloop.internal.linux.IoUringLayout.SQE_USER_DATA;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * File operations on the loop's io_uring ({@link LoopRing}): each operation becomes one submission
 * entry whose {@code user_data} is its slot; everything queued during an iteration goes out with
 * the ring's one {@code io_uring_enter}. Buffered files are fine here: the kernel hands what would
 * block to its own workers. No more than the file settings' queue depth is in flight.
 *
 * <p><b>Loop thread only.</b>
 */
public final class UringFileBackend implements Backend, LoopRing.User {
    /** The value of the backend's own requests (cancels); every operation's is its slot, >= 0. */
    private static final long CANCEL = (1L << 32) - 1;

    private final OpTable ops;
    private final CompletionSink sink;
    private final int tag;
    private final int queueDepth;
    private final SlotQueue pending = new SlotQueue();
    private final SlotQueue pendingCancels = new SlotQueue(); // fds whose requests are to be cancelled
    private int inFlight;

    private UringFileBackend(OpTable ops, CompletionSink sink, LoopRing ring, int queueDepth) {
        this.ops = ops;
        this.sink = sink;
        this.queueDepth = queueDepth;
        this.tag = ring.register(this);
    }

    /** The file backend on {@code ring}, with at most {@code queueDepth} operations in flight. */
    public static UringFileBackend on(LoopRing ring, OpTable ops, CompletionSink sink, int queueDepth) {
        return new UringFileBackend(ops, sink, ring, queueDepth);
    }

    @Override
    public FileBackend kind() {
        return FileBackend.URING;
    }

    @Override
    public void submit(int slot) {
        pending.add(slot);
    }

    @Override
    public void cancel(int fd) {
        pendingCancels.add(fd);
    }

    @Override
    public int fill(LoopRing.Submission submission) {
        int filled = 0;
        while (!pending.isEmpty() && inFlight < queueDepth) {
            long sqe = submission.next();
            if (sqe < 0) {
                return filled;
            }
            int slot = pending.peek(0);
            pending.remove(1);
            prepare(submission.entries(), sqe, slot, submission.userData(tag, slot));
            inFlight++;
            filled++;
        }
        // After the requests: the kernel takes entries in order, so a cancel sees those sent with it.
        while (!pendingCancels.isEmpty()) {
            long sqe = submission.next();
            if (sqe < 0) {
                return filled;
            }
            prepareCancel(submission.entries(), sqe, pendingCancels.peek(0), submission.userData(tag, CANCEL));
            pendingCancels.remove(1);
            filled++;
        }
        return filled;
    }

    private void prepare(MemorySegment sqes, long sqe, int slot, long userData) {
        Operation op = ops.operation(slot);
        byte opcode = switch (op) {
            case READ -> IORING_OP_READ;
            case WRITE -> IORING_OP_WRITE;
            case READV -> IORING_OP_READV;
            case WRITEV -> IORING_OP_WRITEV;
            case FSYNC, FDATASYNC -> IORING_OP_FSYNC;
        };
        sqes.set(JAVA_BYTE, sqe + SQE_OPCODE, opcode);
        sqes.set(JAVA_INT, sqe + SQE_FD, ops.fd(slot));
        sqes.set(JAVA_LONG, sqe + SQE_USER_DATA, userData);
        if (op.isSync()) {
            sqes.set(JAVA_INT, sqe + SQE_OP_FLAGS, op == Operation.FDATASYNC ? IORING_FSYNC_DATASYNC : 0);
            return;
        }
        sqes.set(JAVA_LONG, sqe + SQE_OFF, ops.position(slot));
        sqes.set(JAVA_LONG, sqe + SQE_ADDR, ops.address(slot));
        sqes.set(JAVA_INT, sqe + SQE_LEN, op.isVectored() ? ops.vectorCount(slot) : (int) ops.length(slot));
    }

    /** {@code IORING_OP_ASYNC_CANCEL} of every request on {@code fd} (Linux 5.19; older kernels refuse it). */
    private static void prepareCancel(MemorySegment sqes, long sqe, int fd, long userData) {
        sqes.set(JAVA_BYTE, sqe + SQE_OPCODE, IORING_OP_ASYNC_CANCEL);
        sqes.set(JAVA_INT, sqe + SQE_FD, fd);
        sqes.set(JAVA_INT, sqe + SQE_OP_FLAGS, IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_FD);
        sqes.set(JAVA_LONG, sqe + SQE_USER_DATA, userData);
    }

    @Override
    public void complete(long value, int res, int flags) {
        if (value == CANCEL) {
            return; // a cancel's own result: the requests it cancelled complete with -ECANCELED
        }
        inFlight--;
        sink.complete((int) value, res);
    }

    @Override
    public boolean busy() {
        return inFlight > 0 || !pending.isEmpty() || !pendingCancels.isEmpty();
    }
}
