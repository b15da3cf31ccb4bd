package io.fdloop.net;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.ObjLongConsumer;

/**
 * The completion of one socket operation (a write, a {@code sendFile}, a read into your buffer), in
 * the allocation-free callback form: keep one handler and pass per-operation state as the attachment.
 *
 * <p><b>Called on the connection's loop thread only.</b>
 *
 * @param <A> the attachment's type
 */
public interface TransferHandler<A> {

    /**
     * The operation completed: {@code bytes} written (always the whole buffer or range), or read
     * (-1 at end of stream).
     *
     * @param bytes the bytes written, or read (-1 at end of stream)
     * @param attachment passed to the handler as it is
     */
    void completed(long bytes, A attachment);

    /**
     * The operation failed; nothing of it is pending any more.
     *
     * @param error what went wrong
     * @param attachment passed to the handler as it is
     */
    void failed(Throwable error, A attachment);

    /**
     * A handler from two lambdas; make it once and reuse it.
     *
     * @param <A> the attachment's type
     * @param completed called with the attachment and the bytes
     * @param failed called with the error and the attachment
     * @return the handler
     */
    static <A> TransferHandler<A> of(ObjLongConsumer<A> completed, BiConsumer<Throwable, A> failed) {
        Objects.requireNonNull(completed, "completed");
        Objects.requireNonNull(failed, "failed");
        return new TransferHandler<>() {
            @Override
            public void completed(long bytes, A attachment) {
                completed.accept(attachment, bytes);
            }

            @Override
            public void failed(Throwable error, A attachment) {
                failed.accept(error, attachment);
            }
        };
    }
}
