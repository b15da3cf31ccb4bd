package io.fdloop;

/**
 * A call would block the loop thread on something only that thread can deliver: joining, on the
 * loop thread, a future the loop has yet to complete. It would wait forever; it fails at once instead.
 *
 * <p><b>Immutable; thread-safe.</b>
 */
public class BlockingOperationException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}.
     *
     * @param message what would have blocked, and what to do instead
     */
    public BlockingOperationException(String message) {
        super(message);
    }
}
