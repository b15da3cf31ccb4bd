package io.fdloop.internal.file.uring;

import io.fdloop.file.FileBackend;
import io.fdloop.internal.file.Backend;
import io.fdloop.internal.file.CompletionSink;
import io.fdloop.internal.file.OpTable;
import io.fdloop.internal.file.Operation;
import io.fdloop.internal.file.SlotQueue;
import io.fdloop.internal.uring.LoopRing;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

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
import static io.fdloop.internal.linux.IoUringLayout.IOSQE_IO_LINK;
import static io.fdloop.internal.linux.IoUringLayout.SQE_FD;
import static io.fdloop.internal.linux.IoUringLayout.SQE_FLAGS;
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
 * <p>A {@link Operation#WRITE_FDATASYNC} is two entries in one submission, the write linked to the
 * sync; when a partial {@code io_uring_enter} takes the write without its sync, the ring says so
 * ({@link LoopRing.User#linkCut}) and the backend sends a new sync once the write is done, so the
 * sync that counts always starts after the write.
 *
 * <p><b>Loop thread only.</b>
 */
public final class UringFileBackend implements Backend, LoopRing.User {
    /** The value of the backend's own requests (cancels); every operation's is its slot, >= 0. */
    private static final long CANCEL = (1L << 32) - 1;
    /** Marks the write of a write linked to its sync; the sync's value is the slot alone. */
    private static final long LINKED_WRITE = 1L << 32;

    private final OpTable ops;
    private final CompletionSink sink;
    private final int tag;
    private final int queueDepth;
    private final SlotQueue pending = new SlotQueue();
    private final SlotQueue pendingCancels = new SlotQueue(); // fds whose requests are to be cancelled
    // Linked writes whose link the kernel cut (a partial io_uring_enter took the write alone): their
    // first sync may run before the write is done, so it does not count and another follows the write.
    private boolean[] cut = new boolean[0];
    private boolean[] syncCame = new boolean[0]; // of a cut pair: its first sync has completed
    private final SlotQueue pendingSyncs = new SlotQueue();
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
            int slot = pending.peek(0);
            boolean linked = ops.operation(slot) == Operation.WRITE_FDATASYNC;
            if (!submission.hasRoomFor(linked ? 2 : 1)) {
                return filled; // a linked pair goes out in one submission or waits for the next
            }
            long sqe = submission.next();
            if (linked) {
                prepareLinked(submission, sqe, submission.next(), slot);
                filled += 2;
            } else {
                prepare(submission.entries(), sqe, slot, submission.userData(tag, slot));
                filled++;
            }
            pending.remove(1);
            inFlight++;
        }
        while (!pendingSyncs.isEmpty()) {
            long sqe = submission.next();
            if (sqe < 0) {
                return filled;
            }
            int slot = pendingSyncs.peek(0);
            prepareSync(submission.entries(), sqe, slot, submission.userData(tag, slot));
            pendingSyncs.remove(1);
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
            case WRITE_FDATASYNC -> throw new IllegalArgumentException("a linked write goes through prepareLinked");
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

    /**
     * {@code IORING_OP_WRITE} flagged {@code IOSQE_IO_LINK}, then {@code IORING_OP_FSYNC} with
     * {@code IORING_FSYNC_DATASYNC}: the kernel starts the sync only once the write has written every
     * byte (a failed or short write cancels it), with no trip through the loop between the two.
     */
    private void prepareLinked(LoopRing.Submission submission, long write, long sync, int slot) {
        MemorySegment sqes = submission.entries();
        sqes.set(JAVA_BYTE, write + SQE_OPCODE, IORING_OP_WRITE);
        sqes.set(JAVA_BYTE, write + SQE_FLAGS, IOSQE_IO_LINK);
        sqes.set(JAVA_INT, write + SQE_FD, ops.fd(slot));
        sqes.set(JAVA_LONG, write + SQE_OFF, ops.position(slot));
        sqes.set(JAVA_LONG, write + SQE_ADDR, ops.address(slot));
        sqes.set(JAVA_INT, write + SQE_LEN, (int) ops.length(slot));
        sqes.set(JAVA_LONG, write + SQE_USER_DATA, submission.userData(tag, LINKED_WRITE | slot));
        prepareSync(sqes, sync, slot, submission.userData(tag, slot));
    }

    private void prepareSync(MemorySegment sqes, long sqe, int slot, long userData) {
        sqes.set(JAVA_BYTE, sqe + SQE_OPCODE, IORING_OP_FSYNC);
        sqes.set(JAVA_INT, sqe + SQE_FD, ops.fd(slot));
        sqes.set(JAVA_INT, sqe + SQE_OP_FLAGS, IORING_FSYNC_DATASYNC);
        sqes.set(JAVA_LONG, sqe + SQE_USER_DATA, userData);
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
        int slot = (int) value;
        if (ops.operation(slot) == Operation.WRITE_FDATASYNC && slot < cut.length && cut[slot]) {
            completeCutPair(slot, (value & LINKED_WRITE) != 0, res);
            return;
        }
        if ((value & LINKED_WRITE) != 0) {
            ops.recordFirstStep(slot, res); // its sync's completion, which the kernel posts next, finishes it
            return;
        }
        if (ops.operation(slot) == Operation.WRITE_FDATASYNC && ops.firstStep(slot) == OpTable.NO_RESULT) {
            linkCut(slot); // a sync before its write: the two did not run linked
            completeCutPair(slot, false, res);
            return;
        }
        finish(slot, res);
    }

    @Override
    public void linkCut(long value) {
        int slot = (int) value;
        if (slot >= cut.length) {
            int size = Math.max(slot + 1, cut.length * 2);
            cut = Arrays.copyOf(cut, size);
            syncCame = Arrays.copyOf(syncCame, size);
        }
        cut[slot] = true;
        syncCame[slot] = false;
    }

    /**
     * A write and its sync that ran independently: once both have completed, a write that wrote
     * every byte gets a sync of its own, sent after it; the sync's completion then finishes it.
     */
    private void completeCutPair(int slot, boolean write, int res) {
        if (write) {
            ops.recordFirstStep(slot, res);
        } else {
            syncCame[slot] = true;
        }
        if (ops.firstStep(slot) == OpTable.NO_RESULT || !syncCame[slot]) {
            return; // the other half is still out
        }
        cut[slot] = false;
        if (ops.firstStep(slot) == ops.length(slot)) {
            pendingSyncs.add(slot);
        } else {
            finish(slot, res); // the write's result decides
        }
    }

    private void finish(int slot, long res) {
        inFlight--;
        sink.complete(slot, res);
    }

    @Override
    public boolean busy() {
        return inFlight > 0 || !pending.isEmpty() || !pendingSyncs.isEmpty() || !pendingCancels.isEmpty();
    }
}
