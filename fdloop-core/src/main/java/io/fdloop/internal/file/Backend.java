package io.fdloop.internal.file;

import io.fdloop.file.FileBackend;

/**
 * One way of performing a loop's file operations asynchronously: io_uring (through the loop's
 * ring), Linux AIO or a thread pool. Operations are described by slots of the loop's
 * {@link OpTable}; the slot index travels with the request and comes back with the completion,
 * which the backend hands to its {@link CompletionSink}.
 *
 * <p><b>Loop thread only.</b>
 */
public interface Backend {

    /** Which of the public backends this is. */
    FileBackend kind();

    /** Queues the operation described by {@code slot}; it goes out at the loop's next flush. */
    void submit(int slot);

    /**
     * Asks that the operations on {@code fd} not yet finished be cancelled: those the backend still
     * holds, or the kernel can stop, complete with {@code -ECANCELED}; the others complete as usual.
     */
    void cancel(int fd);
}
