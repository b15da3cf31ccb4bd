package io.fdloop.file;

/**
 * Receives the outcome of one {@link AsyncFile} operation, on the loop thread, in two methods as
 * {@link java.nio.channels.CompletionHandler} does. {@link IoCallback} is the one-method form.
 *
 * @param <A> the attachment's type
 */
public interface IoHandler<A> extends IoCallback<A> {

    /**
     * The operation succeeded. Loop thread.
     *
     * @param result     bytes transferred (fewer than asked at end of file; 0 for fsync and fdatasync)
     * @param attachment the attachment given with the operation
     */
    void completed(int result, A attachment);

    /**
     * The operation failed. Loop thread.
     *
     * @param error      why
     * @param attachment the attachment given with the operation
     */
    void failed(Throwable error, A attachment);

    /** Calls {@link #completed} or {@link #failed}. */
    @Override
    default void complete(A attachment, int result, Throwable failure) {
        if (failure == null) {
            completed(result, attachment);
        } else {
            failed(failure, attachment);
        }
    }
}
