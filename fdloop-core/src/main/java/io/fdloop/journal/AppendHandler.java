package io.fdloop.journal;


/**
 * Receives the outcome of one {@link Journal} append, on the loop thread, in the order the records
 * were appended. The callback form allocates nothing per record: pass the same handler every time
 * and carry per-record state in the attachment. A handler must not block.
 *
 * @param <A> the attachment's type
 */
public interface AppendHandler<A> {

    /**
     * The record is durable (as the journal's {@link Durability} says) at {@code position}. Loop thread.
     *
     * @param position   the record's position: strictly greater than every earlier append's
     * @param attachment the attachment given with the append
     */
    void completed(long position, A attachment);

    /**
     * The record was not made durable; {@code error} says why. Loop thread.
     *
     * @param error      why
     * @param attachment the attachment given with the append
     */
    void failed(Throwable error, A attachment);
}
