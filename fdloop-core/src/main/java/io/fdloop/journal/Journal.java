package io.fdloop.journal;

import io.fdloop.internal.journal.AppendQueue;
import io.fdloop.internal.journal.Committer;
import io.fdloop.internal.journal.Positions;
import io.fdloop.internal.journal.RecordFormat;
import io.fdloop.internal.journal.Recovery;
import io.fdloop.internal.journal.Segment;
import io.fdloop.internal.journal.SegmentDirectory;
import io.fdloop.internal.journal.SegmentPreparer;

import io.fdloop.EventLoop;
import io.fdloop.file.AlignedBuffers;
import io.fdloop.file.AsyncFile;
import io.fdloop.file.FileOption;
import io.fdloop.file.FileBackend;
import io.fdloop.internal.journal.LoopClosing;
import io.fdloop.internal.loop.Loops;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * A write-ahead log with group commit: records appended from any number of threads are made
 * durable in batches, written with one aligned {@code O_DIRECT} write each (then synced, as the
 * {@link Durability} says), on one {@link EventLoop}'s thread. Each append completes with the
 * record's position once it is durable; positions strictly increase in the order appends complete.
 *
 * <pre>{@code
 * try (EventLoop loop = EventLoop.start();
 *      Journal journal = Journal.builder(loop, Path.of("wal")).open()) {
 *     long position = journal.append("hello".getBytes()).join();     // durable now
 *     try (JournalReader reader = journal.reader(0)) {
 *         for (JournalRecord r; (r = reader.next()) != null; ) { ... }
 *     }
 *     journal.release(position);                                     // segments before it may go
 * }
 * }</pre>
 *
 * <p><b>Thread-safe</b>: every method may be called from any thread unless it says otherwise.
 * Futures and handlers complete on the loop thread, in append order: a handler must not block.
 *
 * <p><b>Group commit.</b> Appends go into a bounded queue ({@link Builder#queueCapacity}). While
 * a batch is being written and synced, new appends wait there; when it completes, the loop takes
 * everything queued (up to {@link Builder#batchBytes}) into the next batch, so batches grow with
 * the load by themselves, and producers wake the loop at most once per batch. When the queue is full,
 * {@code append} waits for room (on the loop thread it cannot wait, and fails instead) and
 * {@code tryAppend} returns at once ({@code null} or {@code false}). The journal reads a record's
 * bytes on the loop thread after {@code append} returns: do not change them until the append
 * completes. Byte arrays, heap or direct {@link ByteBuffer}s (their remaining bytes; the position
 * does not move) and {@link MemorySegment}s the loop thread may read (global, automatic or shared
 * arenas) are accepted.
 *
 * <p><b>Segments.</b> Records live in segment files of {@link Builder#segmentSize} bytes, which a
 * background thread prepares ahead of need (zero-filled when new, so no write ever meets an
 * unwritten extent) and recycles once {@link #release} says their records are no longer needed.
 *
 * <p><b>Failures.</b> With {@link Durability#FDATASYNC} or {@link Durability#LINKED_FDATASYNC}, a failed
 * write (EIO, ENOSPC) fails the records of its batch, and later appends go on. A failed
 * {@code fdatasync} (or, with {@link Durability#DSYNC}, the default, a failed write)
 * fails that batch, everything queued and every later append with {@link JournalFailedException}:
 * Linux may drop dirty data it could not write, so a retried sync could succeed without it; reopen
 * the journal. A failed append's record may or may not be found by a later recovery (the failure
 * may have come after the data reached the disk); a completed one always is. Closing the journal
 * writes what was appended before the close and fails what comes after; closing the loop under
 * the journal fails what is not yet durable. Every append completes, one way or the other.
 */
public final class Journal implements AutoCloseable {
    private final EventLoop loop;
    private final SegmentDirectory directory;
    private final Durability durability;
    private final long segmentSize;
    private final int maxRecordSize;
    private final RecoveryReport recovery;
    private final AppendQueue queue;
    private final SegmentPreparer preparer;
    private final Committer committer;
    private final AsynchronousFileChannel lock;
    private final ConcurrentSkipListMap<Long, Path> segments;
    private final FileBackend backend;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile boolean closing;
    private long releasedBefore; // guarded by segments

    private Journal(Builder b, SegmentDirectory directory, AsynchronousFileChannel lock, Recovery.Outcome outcome,
                    Segment resumed, SegmentPreparer preparer, FileBackend backend, int blockSize) {
        this.loop = b.loop;
        this.backend = backend;
        this.preparer = preparer;
        this.directory = directory;
        this.durability = b.durability;
        this.segmentSize = b.segmentSize;
        this.maxRecordSize = b.maxRecordSize();
        this.recovery = outcome.report();
        this.lock = lock;
        this.segments = new ConcurrentSkipListMap<>(outcome.live());
        this.queue = new AppendQueue(b.queueCapacity);
        int frame = (int) RecordFormat.frameSize(maxRecordSize);
        int capacity = (int) AlignedBuffers.roundUp(Math.max(b.batchBytes, frame) + 2L * blockSize, blockSize);
        this.committer = new Committer(loop, queue, preparer, durability, blockSize, b.batchBytes, capacity,
                outcome.resume(), resumed, recovery.endPosition(), segment -> segments.put(segment.sequence, segment.path),
                this::terminated);
    }

    /**
     * Settings for a journal in {@code directory} (created if missing), served by {@code loop}. Any thread.
     *
     * @param loop the loop that serves the journal
     * @param directory where its segments live (created if missing)
     * @return the builder
     */
    public static Builder builder(EventLoop loop, Path directory) {
        return new Builder(Objects.requireNonNull(loop, "loop"), Objects.requireNonNull(directory, "directory"));
    }

    // ---- appending: futures -------------------------------------------------------------------

    /**
     * Appends {@code record}; waits while the queue is full. Any thread. See the class comment.
     *
     * @param record the record's bytes
     * @return completes with the record's position once it is durable
     */
    public CompletableFuture<Long> append(byte[] record) {
        return appendFuture(Objects.requireNonNull(record, "record"), 0, record.length, true);
    }

    /**
     * Appends {@code record}'s remaining bytes; waits while the queue is full. Any thread.
     *
     * @param record the record's bytes
     * @return completes with the record's position once it is durable
     */
    public CompletableFuture<Long> append(ByteBuffer record) {
        return appendFuture(Objects.requireNonNull(record, "record"), record.position(), record.remaining(), true);
    }

    /**
     * Appends the bytes of {@code record}; waits while the queue is full. Any thread.
     *
     * @param record the record's bytes
     * @return completes with the record's position once it is durable
     */
    public CompletableFuture<Long> append(MemorySegment record) {
        return appendFuture(Objects.requireNonNull(record, "record"), 0, segmentLength(record), true);
    }

    /**
     * Appends {@code record} unless the queue is full: then returns null at once. Any thread.
     *
     * @param record the record's bytes
     * @return completes with the record's position once it is durable; null when the queue is full
     */
    public CompletableFuture<Long> tryAppend(byte[] record) {
        return appendFuture(Objects.requireNonNull(record, "record"), 0, record.length, false);
    }

    /**
     * Appends {@code record}'s remaining bytes unless the queue is full (then null). Any thread.
     *
     * @param record the record's bytes
     * @return completes with the record's position once it is durable; null when the queue is full
     */
    public CompletableFuture<Long> tryAppend(ByteBuffer record) {
        return appendFuture(Objects.requireNonNull(record, "record"), record.position(), record.remaining(), false);
    }

    /**
     * Appends the bytes of {@code record} unless the queue is full (then null). Any thread.
     *
     * @param record the record's bytes
     * @return completes with the record's position once it is durable; null when the queue is full
     */
    public CompletableFuture<Long> tryAppend(MemorySegment record) {
        return appendFuture(Objects.requireNonNull(record, "record"), 0, segmentLength(record), false);
    }

    // ---- appending: callbacks -----------------------------------------------------------------

    /**
     * Appends {@code record}; {@code handler} runs on the loop thread once it is durable (or failed).
     * Waits while the queue is full. Allocates nothing. Any thread.
     *
     * @param <A> the attachment's type
     * @param record the record's bytes
     * @param attachment handed back to the handler
     * @param handler runs on the loop thread once the record is durable, or failed
     */
    public <A> void append(byte[] record, A attachment, AppendHandler<? super A> handler) {
        offer(Objects.requireNonNull(record, "record"), 0, record.length, attachment, handler, true);
    }

    /**
     * As {@link #append(byte[], Object, AppendHandler)}, for {@code record}'s remaining bytes. Any thread.
     *
     * @param <A> the attachment's type
     * @param record the record's bytes
     * @param attachment handed back to the handler
     * @param handler runs on the loop thread once the record is durable, or failed
     */
    public <A> void append(ByteBuffer record, A attachment, AppendHandler<? super A> handler) {
        offer(Objects.requireNonNull(record, "record"), record.position(), record.remaining(), attachment, handler, true);
    }

    /**
     * As {@link #append(byte[], Object, AppendHandler)}, for a segment's bytes. Any thread.
     *
     * @param <A> the attachment's type
     * @param record the record's bytes
     * @param attachment handed back to the handler
     * @param handler runs on the loop thread once the record is durable, or failed
     */
    public <A> void append(MemorySegment record, A attachment, AppendHandler<? super A> handler) {
        offer(Objects.requireNonNull(record, "record"), 0, segmentLength(record), attachment, handler, true);
    }

    /**
     * As {@link #append(byte[], Object, AppendHandler)}, but returns false at once (handler not called) when the queue is full. Any thread.
     *
     * @param <A> the attachment's type
     * @param record the record's bytes
     * @param attachment handed back to the handler
     * @param handler runs on the loop thread once the record is durable, or failed
     * @return false, the handler not called, when the queue is full
     */
    public <A> boolean tryAppend(byte[] record, A attachment, AppendHandler<? super A> handler) {
        return offer(Objects.requireNonNull(record, "record"), 0, record.length, attachment, handler, false);
    }

    /**
     * As {@link #tryAppend(byte[], Object, AppendHandler)}, for {@code record}'s remaining bytes. Any thread.
     *
     * @param <A> the attachment's type
     * @param record the record's bytes
     * @param attachment handed back to the handler
     * @param handler runs on the loop thread once the record is durable, or failed
     * @return false, the handler not called, when the queue is full
     */
    public <A> boolean tryAppend(ByteBuffer record, A attachment, AppendHandler<? super A> handler) {
        return offer(Objects.requireNonNull(record, "record"), record.position(), record.remaining(), attachment, handler,
                false);
    }

    /**
     * As {@link #tryAppend(byte[], Object, AppendHandler)}, for a segment's bytes. Any thread.
     *
     * @param <A> the attachment's type
     * @param record the record's bytes
     * @param attachment handed back to the handler
     * @param handler runs on the loop thread once the record is durable, or failed
     * @return false, the handler not called, when the queue is full
     */
    public <A> boolean tryAppend(MemorySegment record, A attachment, AppendHandler<? super A> handler) {
        return offer(Objects.requireNonNull(record, "record"), 0, segmentLength(record), attachment, handler, false);
    }

    private CompletableFuture<Long> appendFuture(Object record, int offset, int length, boolean wait) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        return offer(record, offset, length, future, FutureHandler.INSTANCE, wait) ? future : null;
    }

    /**
     * Queues one record. Refusals that are the caller's mistake throw; a closed or failed journal
     * fails the handler on the calling thread; false only when the queue is full and not waiting.
     */
    private boolean offer(Object record, int offset, int length, Object attachment, AppendHandler<?> handler,
                          boolean wait) {
        Objects.requireNonNull(handler, "handler");
        checkLength(length);
        while (true) {
            Throwable refused = refusal();
            if (refused != null) {
                notifyFailed(handler, attachment, refused);
                return true;
            }
            if (queue.offer(record, offset, length, handler, attachment)) {
                break;
            }
            if (!wait) {
                return false;
            }
            if (loop.inLoop()) {
                notifyFailed(handler, attachment, new RejectedExecutionException("the journal's queue is full ("
                        + queue.capacity() + " records) and append cannot wait for room on the loop thread: use tryAppend"));
                return true;
            }
            try {
                queue.awaitRoom(AppendQueue.waitSliceNs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                notifyFailed(handler, attachment, new IllegalStateException(
                        "interrupted while waiting for room in the journal's queue", e));
                return true;
            }
        }
        committer.wakeUp();
        // Read after queueing: a committer that terminated meanwhile may not have seen this record.
        if (committer.isTerminated()) {
            committer.failRemaining();
        }
        return true;
    }

    private Throwable refusal() {
        Throwable failure = committer.failure();
        if (failure != null) {
            return failure;
        }
        if (closing || committer.isTerminated()) {
            Throwable cause = committer.terminalCause();
            return cause != null ? cause : new IllegalStateException("the journal in " + directory.path + " is closed");
        }
        return null;
    }

    private void checkLength(int length) {
        long capacity = RecordFormat.maxPayload(segmentSize);
        if (length > capacity) {
            throw new IllegalArgumentException("a record of " + length + " bytes is larger than a segment can hold ("
                    + capacity + " bytes in a segment of " + segmentSize + "): Journal.Builder.segmentSize sets it");
        }
        if (length > maxRecordSize) {
            throw new IllegalArgumentException("a record of " + length + " bytes is larger than maxRecordSize ("
                    + maxRecordSize + "): Journal.Builder.maxRecordSize raises it, up to " + capacity);
        }
    }

    private static int segmentLength(MemorySegment record) {
        if (record.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a record of " + record.byteSize() + " bytes is larger than a segment can hold");
        }
        return (int) record.byteSize();
    }

    @SuppressWarnings("unchecked")
    private static void notifyFailed(AppendHandler<?> handler, Object attachment, Throwable error) {
        ((AppendHandler<Object>) handler).failed(error, attachment);
    }

    // ---- the rest -----------------------------------------------------------------------------

    /**
     * Says the records before {@code position} are no longer needed: the segments holding only
     * such records are recycled in the background (renamed to spares, or deleted beyond
     * {@link Builder#spareSegments}). Readers must not read them any more. Any thread.
     *
     * @throws IllegalArgumentException when {@code position} is past the durable end
     * @param position a position an append completed with
     */
    public void release(long position) {
        long end = committer.durableEnd();
        if (Long.compareUnsigned(position, end) > 0) {
            throw new IllegalArgumentException("cannot release up to " + Positions.describe(position)
                    + ": the journal is durable only up to " + Positions.describe(end));
        }
        long sequence = Positions.sequence(position);
        synchronized (segments) {
            if (position <= releasedBefore) {
                return;
            }
            releasedBefore = position;
            for (Map.Entry<Long, Path> entry : new ArrayList<>(segments.headMap(sequence).entrySet())) {
                segments.remove(entry.getKey());
                preparer.recycle(entry.getValue());
            }
        }
    }

    /**
     * The same as {@link #release(long)}, by another name. Any thread.
     *
     * @param position a position an append completed with
     */
    public void truncateBefore(long position) {
        release(position);
    }

    /**
     * A reader of the durable records from {@code position} on (the first record at or after it;
     * 0 for the oldest one kept). Any thread but the loop's: it waits for reads.
     *
     * @param position a position an append completed with
     * @return a reader positioned at {@code position}
     * @throws IOException when the segment holding {@code position} cannot be opened
     */
    public JournalReader reader(long position) throws IOException {
        if (loop.inLoop()) {
            throw new IllegalStateException("a journal reader waits for its reads: create and use it on another thread "
                    + "than the loop's");
        }
        return new JournalReader(loop, directory, segments, committer::durableEnd, position);
    }

    /**
     * What opening the journal found. Any thread.
     *
     * @return what opening the journal found
     */
    public RecoveryReport recovery() {
        return recovery;
    }

    /**
     * The position after the last durable record: everything before it has completed. Any thread.
     *
     * @return the position after the last durable record
     */
    public long durablePosition() {
        return committer.durableEnd();
    }

    /**
     * The file backend the segments use: {@code "uring"}, {@code "aio"} or {@code "threads"}. Any thread.
     *
     * @return the file backend the journal's segments use
     */
    public FileBackend backend() {
        return backend;
    }

    /**
     * The durability mode it was opened with. Any thread.
     *
     * @return the durability mode
     */
    public Durability durability() {
        return durability;
    }

    /**
     * The directory holding its segments. Any thread.
     *
     * @return the segment directory
     */
    public Path directory() {
        return directory.path;
    }

    /**
     * The loop its I/O and completions run on. Any thread.
     *
     * @return the loop
     */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Counters since the journal was opened. Any thread.
     *
     * @return counters since the journal opened
     */
    public JournalStats stats() {
        return committer.stats();
    }

    /**
     * Whether appends are taken (the journal is neither closing nor failed). Any thread.
     *
     * @return false once closing or failed
     */
    public boolean isOpen() {
        return !closing && !committer.isTerminated() && committer.failure() == null;
    }

    /**
     * Describes a position: its segment and offset. Any thread.
     *
     * @param position a position an append completed with
     * @return the position in words: segment and offset
     */
    public static String describe(long position) {
        return Positions.describe(position);
    }

    // ---- closing ------------------------------------------------------------------------------

    /**
     * Stops taking appends, writes what was appended before, then closes the segment, stops the
     * preparer and releases the directory's lock. Idempotent. Any thread.
     *
     * @return completes once the journal is closed
     */
    public CompletableFuture<Void> closeAsync() {
        synchronized (this) {
            if (closing) {
                return closed;
            }
            closing = true;
        }
        try {
            loop.execute(committer::beginClose);
        } catch (RejectedExecutionException e) {
            // The loop is closing: its shutdown task ends the journal (see open).
        }
        return closed;
    }

    /** Closes the journal; from another thread waits until it is closed. Any thread. */
    @Override
    public void close() {
        CompletableFuture<Void> closing = closeAsync();
        if (!loop.inLoop()) {
            closing.join();
        }
    }

    /** The committer ended (closed, failed and closed, or its loop closed): release the rest. Loop thread. */
    private void terminated() {
        CompletableFuture<Void> preparerStopped = preparer.stop();
        try {
            lock.close();
        } catch (IOException e) {
            // the lock goes with the fd
        }
        preparerStopped.whenComplete((ignored, error) -> closed.complete(null));
    }

    @Override
    public String toString() {
        return "Journal[" + directory.path + ", " + durability + (isOpen() ? "]" : ", closed]");
    }

    private static Set<FileOption> writeOptions(Durability durability) {
        Set<FileOption> options = EnumSet.of(FileOption.READ, FileOption.WRITE, FileOption.DIRECT);
        if (durability == Durability.DSYNC) {
            options.add(FileOption.DSYNC);
        }
        return options;
    }

    /** Completes the {@link CompletableFuture} passed as attachment: the future form on the callback form. */
    private static final class FutureHandler implements AppendHandler<CompletableFuture<Long>> {
        static final FutureHandler INSTANCE = new FutureHandler();

        @Override
        public void completed(long position, CompletableFuture<Long> future) {
            future.complete(position);
        }

        @Override
        public void failed(Throwable error, CompletableFuture<Long> future) {
            future.completeExceptionally(error);
        }
    }

    /**
     * Settings for a new journal.
     *
     * <p><b>Not thread-safe.</b>
     */
    public static final class Builder {
        private final EventLoop loop;
        private final Path directory;
        private Durability durability = Durability.DSYNC;
        private long segmentSize = 64L << 20;
        private int maxRecordSize = -1;
        private int queueCapacity = 16384;
        private int batchBytes = 1 << 20;
        private int spareSegments = 2;
        private int preallocate;

        private Builder(EventLoop loop, Path directory) {
            this.loop = loop;
            this.directory = directory;
        }

        /**
         * When an append counts as durable. Default {@link Durability#DSYNC}, the fastest of the durable
         * modes in most of the benchmark's cells (one request per batch; see BENCHMARKS.md).
         *
         * @param durability what a completed append guarantees
         * @return this builder
         */
        public Builder durability(Durability durability) {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        /**
         * Bytes per segment file: a multiple of 4096 from 64 KiB to 1 GiB. Default 64 MiB. Segments
         * already on disk keep their size.
         *
         * @param bytes the size in bytes
         * @return this builder
         */
        public Builder segmentSize(long bytes) {
            if (bytes < 64 << 10 || bytes > 1L << 30 || bytes % AlignedBuffers.SAFE_ALIGNMENT != 0) {
                throw new IllegalArgumentException("segmentSize must be a multiple of 4096 from 64 KiB to 1 GiB, was " + bytes);
            }
            this.segmentSize = bytes;
            return this;
        }

        /**
         * The largest record accepted, at most what a segment holds ({@code segmentSize - 80}).
         * Default 1 MiB, or less in a smaller segment. Each of the journal's two batch buffers
         * holds at least one such record.
         *
         * @param bytes the size in bytes
         * @return this builder
         */
        public Builder maxRecordSize(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxRecordSize must be positive, was " + bytes);
            }
            this.maxRecordSize = bytes;
            return this;
        }

        /**
         * Records that may wait for the loop: a power of two from 16 to 2^24. Default 16384.
         *
         * @param records how many records
         * @return this builder
         */
        public Builder queueCapacity(int records) {
            if (records < 16 || records > 1 << 24 || Integer.bitCount(records) != 1) {
                throw new IllegalArgumentException("queueCapacity must be a power of two from 16 to 16777216, was " + records);
            }
            this.queueCapacity = records;
            return this;
        }

        /**
         * The most bytes one batch gathers (a record larger than that goes alone). 16 KiB to 64 MiB; default 1 MiB.
         *
         * @param bytes the size in bytes
         * @return this builder
         */
        public Builder batchBytes(int bytes) {
            if (bytes < 16 << 10 || bytes > 64 << 20) {
                throw new IllegalArgumentException("batchBytes must be from 16 KiB to 64 MiB, was " + bytes);
            }
            this.batchBytes = bytes;
            return this;
        }

        /**
         * Released segments kept as spares for reuse (the rest are deleted). 0 to 64; default 2.
         *
         * @param count how many
         * @return this builder
         */
        public Builder spareSegments(int count) {
            if (count < 0 || count > 64) {
                throw new IllegalArgumentException("spareSegments must be 0 to 64, was " + count);
            }
            this.spareSegments = count;
            return this;
        }

        /**
         * Segment files to have ready when the journal opens (the first segment of a new journal
         * among them): spares are zero-filled now, on the opening thread, until there are this
         * many, so the first rolls need no zero-filling while appends run (released segments keep
         * the supply up afterwards). 0 to 64; default 0. Also raises {@link #spareSegments} to at
         * least this.
         *
         * @param segments how many segments
         * @return this builder
         */
        public Builder preallocate(int segments) {
            if (segments < 0 || segments > 64) {
                throw new IllegalArgumentException("preallocate must be 0 to 64 segments, was " + segments);
            }
            this.preallocate = segments;
            return this;
        }

        private int maxRecordSize() {
            long capacity = RecordFormat.maxPayload(segmentSize);
            if (maxRecordSize < 0) {
                return (int) Math.min(1 << 20, capacity);
            }
            return maxRecordSize;
        }

        /**
         * Opens the journal: takes the directory's lock, recovers what is there (see
         * {@link Journal#recovery()}), and starts taking appends. Any thread but the loop's: it
         * waits for the recovery's reads.
         *
         * @throws IOException when the directory cannot be used (not a directory, not writable),
         *                     another journal has it open, or reading it fails
         *
         * @return the open journal, recovered
         */
        public Journal open() throws IOException {
            if (loop.inLoop()) {
                throw new IllegalStateException("Journal.open reads the directory and waits for the loop: call it on "
                        + "another thread than the loop's");
            }
            if (maxRecordSize > RecordFormat.maxPayload(segmentSize)) {
                throw new IllegalArgumentException("maxRecordSize " + maxRecordSize + " does not fit in a segment of "
                        + segmentSize + " bytes (at most " + RecordFormat.maxPayload(segmentSize) + ")");
            }
            SegmentDirectory dir = SegmentDirectory.create(directory);
            AsynchronousFileChannel lock = dir.lock(loop);
            Arena arena = Arena.ofShared();
            AsyncFile resumedFile = null;
            SegmentPreparer preparer = null;
            try {
                Recovery.Outcome outcome = Recovery.run(loop, dir, arena);
                java.util.TreeMap<Long, Path> spares = dir.spares();
                preparer = new SegmentPreparer(loop, dir, segmentSize, writeOptions(durability),
                        Math.max(spareSegments, preallocate), outcome.nextSequence(), new ArrayList<>(spares.values()),
                        loop.name() + "-journal-preparer");
                if (preallocate > 0) {
                    long highest = Math.max(outcome.nextSequence(), spares.isEmpty() ? 0 : spares.lastKey() + 1);
                    preparer.preallocate(preallocate, highest);
                }
                Segment resumed = null;
                Recovery.Resume resume = outcome.resume();
                AsyncFile file;
                if (resume != null) {
                    resumedFile = AsyncFile.open(loop, resume.path(), writeOptions(durability));
                    resumed = new Segment(resume.sequence(), resume.path(), resume.size(), resume.salt(), resumedFile, true);
                    file = resumedFile;
                } else {
                    file = preparer.prepareFirst();
                }
                int blockSize = Math.max(AlignedBuffers.SAFE_ALIGNMENT, file.directAlignment().offset());
                Journal journal = new Journal(this, dir, lock, outcome, resumed, preparer, file.backend(), blockSize);
                Loops.host(loop).addShutdownParticipant(new LoopClosing(journal.committer));
                preparer.start();
                return journal;
            } catch (IOException | RuntimeException e) {
                if (resumedFile != null) {
                    resumedFile.close();
                }
                if (preparer != null) {
                    preparer.discard();
                }
                lock.close();
                throw e;
            } finally {
                arena.close();
            }
        }
    }
}
