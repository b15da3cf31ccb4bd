package io.fdloop.internal.journal;

import io.fdloop.journal.AppendHandler;
import io.fdloop.journal.Durability;
import io.fdloop.journal.Journal;
import io.fdloop.journal.JournalFailedException;
import io.fdloop.journal.JournalStats;

import io.fdloop.EventLoop;
import io.fdloop.NativeIOException;
import io.fdloop.file.IoHandler;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The group commit, on the loop thread. Records wait in the {@link AppendQueue} while the
 * previous batch's write and sync are in flight; when it completes, the loop drains them into the
 * next {@link Batch}, so a batch holds whatever arrived during the last commit: its size follows
 * the load by itself. Producers wake the loop only when it is idle (one wake-up per batch at most,
 * not one per record while a batch is in flight). One batch is in flight at a time:
 *
 * <pre>
 *   drain ──▶ filling batch ──submit──▶ write ──(FDATASYNC)──▶ fdatasync ──▶ durable: handlers, in order
 *     ▲                                    │ failed: records fail, the batch is rolled back      │
 *     └────────────────────────────────────┴─────────── drain again ◀─────────────────────────────┘
 * </pre>
 *
 * With {@code LINKED_FDATASYNC} the write and the sync are one request
 * ({@code AsyncFile.writeAndFdatasync}). A write that fails fails its records only: the filling batch is laid out again from where the
 * failed one began, so the journal goes on without a hole. A failed sync (or, with O_DSYNC, a
 * failed write) fails the journal: that batch, everything queued and every later append. A batch
 * never spans two segments, and a new segment is begun only once nothing is in flight, so data
 * lands in segment N+1 only after segment N's is durable.
 *
 * <p><b>Loop thread only</b>, except {@link #wakeUp()}, the volatile state readers and
 * {@link #failRemaining}.
 */
public final class Committer {
    private static final System.Logger LOG = System.getLogger("io.fdloop.journal");

    private final EventLoop loop;
    private final AppendQueue queue;
    private final SegmentPreparer preparer;
    private final Durability durability;
    private final int blockSize;
    private final int batchLimit;
    private final Arena arena;
    private final CRC32C crc = new CRC32C();
    private final Batch[] turns = new Batch[3]; // filling, in flight, and one whose handlers are being called
    private final Consumer<Segment> onNewSegment;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = () -> {
        if (this.inFlight == null) {
            drainNow();
        }
        // else the flag stays set, so producers do not wake the loop again for a batch that cannot
        // go out yet: the in-flight batch's completion drains the queue.
    };
    private final Runnable segmentReady = this::segmentReady;
    private final IoHandler<Batch> onWritten = new IoHandler<>() {
        @Override
        public void completed(int bytes, Batch batch) {
            written(batch, bytes);
        }

        @Override
        public void failed(Throwable error, Batch batch) {
            writeFailed(batch, error);
        }
    };
    private final IoHandler<Batch> onCommitted = new IoHandler<>() {
        @Override
        public void completed(int bytes, Batch batch) {
            bytesWritten += bytes;
            syncs++;
            durable(batch);
        }

        @Override
        public void failed(Throwable error, Batch batch) {
            if (error instanceof NativeIOException e && e.call().equals("fdatasync")) {
                syncs++;
                poison("fdatasync", batch, error);
            } else {
                writeFailed(batch, error); // the write failed or was short: no sync ran
            }
        }
    };
    private final IoHandler<Batch> onSynced = new IoHandler<>() {
        @Override
        public void completed(int ignored, Batch batch) {
            durable(batch);
        }

        @Override
        public void failed(Throwable error, Batch batch) {
            if (error instanceof ClosedChannelException) {
                IllegalStateException closed = loopClosed(error);
                fail(batch, closed);
                terminate(closed);
            } else {
                poison("fdatasync", batch, error);
            }
        }
    };
    private final Object terminalLock = new Object();
    private Segment current;
    private Batch filling;
    private Batch inFlight;
    private Batch completing; // durable, its handlers being called
    private boolean waitingForSegment;
    private boolean closeRequested;
    private final Runnable whenTerminated;
    private volatile Throwable failure;
    private volatile Throwable terminalCause;
    private volatile boolean terminated;
    private volatile long durableEnd;
    // counters: written by the loop thread only, read by any
    private volatile long records, batches, syncs, bytesWritten, largestBatch, segmentsRolled, segmentWaits;

    public Committer(EventLoop loop, AppendQueue queue, SegmentPreparer preparer, Durability durability, int blockSize,
              int batchLimit, int batchCapacity, Recovery.Resume resume, Segment resumed, long durableEnd,
              Consumer<Segment> onNewSegment, Runnable whenTerminated) {
        this.loop = loop;
        this.whenTerminated = whenTerminated;
        this.queue = queue;
        this.preparer = preparer;
        this.durability = durability;
        this.blockSize = blockSize;
        this.batchLimit = batchLimit;
        this.onNewSegment = onNewSegment;
        this.arena = Arena.ofAuto(); // the kernel writes from it directly: fdloop holds it while in flight
        for (int i = 0; i < turns.length; i++) {
            turns[i] = new Batch(arena, batchCapacity, blockSize);
        }
        this.durableEnd = durableEnd;
        filling = turns[0];
        if (resumed != null) {
            current = resumed;
            MemorySegment tail = resume.tailBlock();
            filling.segment = resumed;
            filling.fileOffset = resume.writeOffset() - tail.byteSize();
            MemorySegment.copy(tail, 0, filling.memory, 0, tail.byteSize());
            filling.carried = (int) tail.byteSize();
            filling.used = filling.carried;
            filling.startCrc = resume.chain();
            filling.lastCrc = resume.chain();
        }
    }

    // ---- any thread ---------------------------------------------------------------------------

    /** Makes sure the loop drains the queue soon. Any thread. */
    public void wakeUp() {
        if (!drainScheduled.get() && !drainScheduled.getAndSet(true)) {
            try {
                loop.execute(drainTask);
            } catch (RejectedExecutionException e) {
                // The loop is closing: its shutdown task fails whatever is queued.
            }
        }
    }

    /** Why new appends fail at once (the journal failed), or null. Any thread. */
    public Throwable failure() {
        return failure;
    }

    public boolean isTerminated() {
        return terminated;
    }

    public long durableEnd() {
        return durableEnd;
    }

    public io.fdloop.file.FileBackend backend() {
        Segment segment = current;
        return segment != null ? segment.file.backend() : null;
    }

    public JournalStats stats() {
        return new JournalStats(records, batches, syncs, bytesWritten, largestBatch, segmentsRolled, segmentWaits);
    }

    /**
     * Fails what is still queued once the committer has terminated: called by the loop as it
     * terminates and by a producer that finds, after queueing, that it came too late. Any thread.
     */
    public void failRemaining() {
        synchronized (terminalLock) {
            failQueued(terminalCause);
        }
    }

    // ---- loop thread --------------------------------------------------------------------------

    /**
     * Drains after clearing the wake-up flag: a producer that queues after this point sees the
     * flag clear and schedules another drain; one that queued before is drained now.
     */
    private void drainNow() {
        drainScheduled.set(false);
        drain();
    }

    /** Moves queued records into the filling batch and sends it when nothing is in flight. */
    public void drain() {
        if (terminated) {
            return;
        }
        if (failure != null) {
            failQueued(failure);
            maybeFinishClose();
            return;
        }
        int taken = 0;
        while (queue.hasNext()) {
            int length = queue.length();
            long frame = RecordFormat.frameSize(length);
            if (current == null || filling.writeOffset() + frame > current.size) {
                if (filling.count > 0 || inFlight != null || waitingForSegment) {
                    break; // the next segment is begun once this one's data is durable
                }
                if (!roll()) {
                    break;
                }
                continue;
            }
            if (filling.used + frame > batchLimit && (filling.count > 0 || filling.used + frame > filling.capacity())) {
                break;
            }
            Object record = queue.record();
            int offset = queue.recordOffset();
            Object handler = queue.handler();
            Object attachment = queue.attachment();
            queue.remove();
            taken++;
            try {
                filling.add(record, offset, length, handler, attachment, crc);
            } catch (RuntimeException e) {
                notifyFailed(handler, attachment, new IllegalArgumentException(
                        "the journal could not read the record's bytes: " + e.getMessage(), e));
            }
        }
        if (taken > 0) {
            queue.signalRoom();
        }
        if (inFlight == null && filling.count > 0) {
            submit();
        } else {
            maybeFinishClose();
        }
    }

    /** Begins the next segment; false when it is not ready yet (or preparing it failed). */
    private boolean roll() {
        Segment next;
        try {
            next = preparer.take(segmentReady);
        } catch (IOException e) {
            if (e.getCause() instanceof ClosedChannelException) {
                IllegalStateException closed = loopClosed(e); // the segment's writes were cut off by the loop's close
                failQueued(closed);
                terminate(closed);
            } else {
                failQueued(e);
            }
            return false;
        }
        if (next == null) {
            waitingForSegment = true;
            segmentWaits++;
            return false;
        }
        Segment old = current;
        current = next;
        filling.beginSegment(next, crc);
        onNewSegment.accept(next);
        if (old != null) {
            old.file.closeAsync();
            segmentsRolled++;
        }
        return true;
    }

    private void segmentReady() {
        waitingForSegment = false;
        drainNow();
    }

    private void submit() {
        Batch batch = filling;
        MemorySegment write = batch.seal();
        inFlight = batch;
        Batch next = spare();
        next.begin(current, batch.writeOffset(), batch.lastCrc, batch, blockSize);
        filling = next;
        if (durability == Durability.LINKED_FDATASYNC) {
            batch.segment.file.writeAndFdatasync(write, batch.fileOffset, batch, onCommitted);
        } else {
            batch.segment.file.write(write, batch.fileOffset, batch, onWritten);
        }
    }

    private void written(Batch batch, int bytes) {
        bytesWritten += bytes;
        if (bytes != batch.writeLength) {
            writeFailed(batch, new IOException("a short write: " + bytes + " of " + batch.writeLength + " bytes at offset "
                    + batch.fileOffset + " of " + batch.segment.path));
            return;
        }
        if (durability == Durability.FDATASYNC) {
            syncs++;
            batch.segment.file.fdatasync(batch, onSynced);
        } else {
            durable(batch);
        }
    }

    /**
     * The batch is durable: its handlers run, in order, then the next batch goes out. Waking the
     * producers first lets them append again before the next batch is cut, so producers waiting in
     * one batch stay together in the next (going out first would split them into two half-size
     * batches and double the syncs).
     */
    private void durable(Batch batch) {
        inFlight = null;
        batch.segment.headerDurable = true;
        durableEnd = batch.endPosition();
        int count = batch.count;
        records += count;
        batches++;
        if (count > largestBatch) {
            largestBatch = count;
        }
        completing = batch;
        for (int i = 0; i < count; i++) {
            notifyCompleted(batch.handlers[i], batch.attachments[i], batch.position(i));
        }
        batch.clear();
        completing = null;
        drainNow();
    }

    /** The batch that is neither filling, in flight nor completing. */
    private Batch spare() {
        for (Batch batch : turns) {
            if (batch != filling && batch != inFlight && batch != completing) {
                return batch;
            }
        }
        throw new IllegalStateException("the journal has no free batch buffer");
    }

    private void writeFailed(Batch batch, Throwable error) {
        if (error instanceof ClosedChannelException) {
            IllegalStateException closed = loopClosed(error);
            fail(batch, closed);
            terminate(closed);
            return;
        }
        if (durability == Durability.DSYNC) {
            poison("an O_DSYNC write", batch, error);
            return;
        }
        rollBack(batch, error);
    }

    /**
     * Fails the records of a failed write and lays the filling batch out again from where the
     * failed one began: the failed batch's buffer still holds the durable bytes before it.
     */
    private void rollBack(Batch failed, Throwable error) {
        inFlight = null;
        Batch moved = filling;
        int count = failed.count;
        for (int i = 0; i < count; i++) {
            notifyFailed(failed.handlers[i], failed.attachments[i], error);
        }
        Segment segment = failed.segment;
        failed.clear();
        failed.segment = segment;
        failed.used = failed.carried;
        failed.lastCrc = failed.startCrc;
        for (int i = 0; i < moved.count; i++) {
            MemorySegment payload = moved.memory.asSlice(moved.recordAt[i] + RecordFormat.RECORD_HEADER, moved.lengths[i]);
            failed.add(payload, 0, moved.lengths[i], moved.handlers[i], moved.attachments[i], crc);
        }
        moved.clear();
        filling = failed;
        drainNow();
    }

    /** A sync failed (or an O_DSYNC write): nothing more is trusted. */
    private void poison(String what, Batch batch, Throwable error) {
        JournalFailedException failed = new JournalFailedException("the journal in " + preparerDirectory() + " failed: "
                + what + " failed (" + error.getMessage() + "); Linux may have dropped the data it could not write, "
                + "so nothing more is appended: reopen the journal, which recovers what is on disk", error);
        failure = failed;
        inFlight = null;
        drainScheduled.set(false); // later appends fail at once; those already queued fail here or in a drain they schedule
        fail(batch, failed);
        fail(filling, failed);
        failQueued(failed);
        maybeFinishClose();
    }

    private String preparerDirectory() {
        return current != null ? current.path.getParent().toString() : "its directory";
    }

    private void fail(Batch batch, Throwable error) {
        for (int i = 0; i < batch.count; i++) {
            notifyFailed(batch.handlers[i], batch.attachments[i], error);
        }
        Segment segment = batch.segment;
        batch.clear();
        batch.segment = segment;
        batch.used = batch.carried;
        batch.lastCrc = batch.startCrc;
    }

    private void failQueued(Throwable error) {
        int failed = 0;
        while (queue.hasNext()) {
            Object handler = queue.handler();
            Object attachment = queue.attachment();
            queue.remove();
            failed++;
            notifyFailed(handler, attachment, error);
        }
        if (failed > 0) {
            queue.signalRoom();
        }
    }

    // ---- closing ------------------------------------------------------------------------------

    /** The journal is closing: what is queued is still written; then everything is closed. */
    public void beginClose() {
        closeRequested = true;
        if (inFlight == null) {
            drainNow();
        }
    }

    private void maybeFinishClose() {
        if (!closeRequested || terminated || inFlight != null || completing != null || filling.count > 0) {
            return;
        }
        if (queue.hasNext() && failure == null) {
            return; // drain goes on
        }
        terminate(failure != null ? failure : new IllegalStateException("the journal is closed"));
    }

    /** The loop is closing under the journal: everything not yet durable fails. */
    public void loopClosing() {
        if (!terminated) {
            IllegalStateException closed = new IllegalStateException("the journal's event loop " + loop.name()
                    + " closed before the record was durable");
            if (inFlight != null) {
                fail(inFlight, closed); // cannot happen: the loop drains its I/O first
                inFlight = null;
            }
            fail(filling, closed);
            terminate(closed);
        }
    }

    private void terminate(Throwable cause) {
        if (terminated) {
            return;
        }
        terminalCause = cause;
        terminated = true; // before the queue is drained: see Journal's append for the other half
        if (filling.count > 0) {
            fail(filling, cause);
        }
        failRemaining();
        if (current != null) {
            current.file.closeAsync();
        }
        whenTerminated.run();
    }

    /** The terminal cause for appends that come after the end. */
    public Throwable terminalCause() {
        return terminalCause;
    }

    private static IllegalStateException loopClosed(Throwable cause) {
        return new IllegalStateException("the journal's file was closed under it (its event loop closed?)", cause);
    }

    @SuppressWarnings("unchecked")
    private static void notifyCompleted(Object handler, Object attachment, long position) {
        try {
            ((AppendHandler<Object>) handler).completed(position, attachment);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "a journal append handler threw", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void notifyFailed(Object handler, Object attachment, Throwable error) {
        try {
            ((AppendHandler<Object>) handler).failed(error, attachment);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "a journal append handler threw", e);
        }
    }
}
