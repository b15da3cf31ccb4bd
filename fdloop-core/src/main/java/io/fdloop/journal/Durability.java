package io.fdloop.journal;


/**
 * What is on stable storage when an append's future completes.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * <p>Every mode writes one batch at a time, as one aligned {@code O_DIRECT} write covering every
 * record the loop had collected; they differ in how the batch is made durable. The guarantee is the
 * same on every file backend (io_uring, Linux AIO, the thread pool); how each gets there is said per
 * constant.
 */
public enum Durability {
    /**
     * The batch is written, then {@code fdatasync(2)} is issued on the segment; the futures complete
     * when the sync has completed. Durable then: every record of the batch, and every record before
     * it. io_uring: {@code IORING_OP_WRITE} then {@code IORING_OP_FSYNC} with
     * {@code IORING_FSYNC_DATASYNC}, in two submissions; Linux AIO: {@code IOCB_CMD_PWRITE} then
     * {@code IOCB_CMD_FDSYNC}; threads: {@code pwrite} then {@code fdatasync}. Segments are
     * pre-allocated and zero-filled, so the sync flushes data and the device cache, not metadata.
     * A failed sync fails the journal for good (see {@link Journal}).
     */
    FDATASYNC,

    /**
     * The batch's write and its {@code fdatasync(2)} are one request
     * ({@link io.fdloop.file.AsyncFile#writeAndFdatasync}): durable when the future completes, as
     * with {@link #FDATASYNC}, with one trip through the loop per batch instead of two. io_uring:
     * {@code IORING_OP_WRITE} flagged {@code IOSQE_IO_LINK} and {@code IORING_OP_FSYNC} in one
     * submission, the kernel starting the sync as the write completes; Linux AIO (which cannot link):
     * the backend issues {@code IOCB_CMD_FDSYNC} as it reaps the write; threads: {@code pwrite} then
     * {@code fdatasync} on one worker. A failed write fails its records only (no sync ran); a failed
     * sync fails the journal for good.
     */
    LINKED_FDATASYNC,

    /**
     * Segments are opened with {@code O_DSYNC}: each batch's write completes only once its data is
     * on stable storage (one write with FUA where the device has it, else the kernel follows the
     * write with a cache flush before completing it). Durable when the future completes: every
     * record of the batch and before it. One request per batch instead of two, on every backend.
     * A failed write fails the journal for good: with {@code O_DSYNC} a write error may be the
     * sync's, which cannot be retried safely.
     */
    DSYNC,

    /**
     * No sync: the futures complete when the batch's direct write has completed. The data has left
     * the process and the page cache (it is written with {@code O_DIRECT}) but may still sit in the
     * device's volatile cache: a power loss can lose it, a crash of the process cannot. For tests,
     * caches and data that can be rebuilt.
     */
    NONE
}
