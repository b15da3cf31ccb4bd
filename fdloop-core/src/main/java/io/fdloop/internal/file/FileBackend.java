package io.fdloop.internal.file;

import io.fdloop.internal.loop.CompletionSource;

/**
 * A way of performing file operations asynchronously: Linux AIO, or a thread pool. Operations
 * are described by slots of the loop's {@link OpTable}; the slot index travels with the request
 * and comes back with the completion.
 *
 * <p><b>Loop thread only.</b>
 */
public interface FileBackend extends CompletionSource {

    /** Queues the operation described by {@code slot}; it goes out at the next {@link #flush()}. */
    void submit(int slot);

    /**
     * Asks that the operations on {@code fd} not yet finished be cancelled: those the backend still
     * holds, or the kernel can stop, complete with {@code -ECANCELED}; the others complete as usual.
     */
    void cancel(int fd);
}
