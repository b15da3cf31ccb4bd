package io.fdloop.file;

/**
 * Receives the outcome of one {@link AsyncFile} operation, on the loop thread. The callback form
 * of the API allocates nothing per operation when issued on the loop thread: pass the same
 * handler every time and carry per-request state in the attachment.
 *
 * @param <A> the attachment's type
 */
public interface IoHandler<A> {

    /** Bytes transferred (fewer than asked at end of file; 0 for fsync and fdatasync). */
    void completed(int result, A attachment);

    /** The operation failed; {@code error} says why. */
    void failed(Throwable error, A attachment);
}
