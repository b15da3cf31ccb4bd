package io.fdloop.file;

/**
 * Receives the outcome of one {@link AsyncFile} operation, on the loop thread: a lambda-friendly
 * form of {@link IoHandler}.
 *
 * <pre>{@code
 * file.read(buffer, 0, request, (req, bytes, failure) -> {
 *     if (failure != null) req.fail(failure); else req.done(bytes);
 * });
 * }</pre>
 *
 * A lambda that captures nothing is one object for the life of the program, so the callback form
 * allocates nothing per operation: carry per-request state in the attachment.
 *
 * @param <A> the attachment's type
 */
@FunctionalInterface
public interface IoCallback<A> {

    /**
     * The operation ended. Loop thread.
     *
     * @param attachment the attachment given with the operation
     * @param result     the bytes transferred (fewer than asked at end of file; 0 for a sync), or -1 on failure
     * @param failure    null on success, else why it failed
     */
    void complete(A attachment, int result, Throwable failure);
}
