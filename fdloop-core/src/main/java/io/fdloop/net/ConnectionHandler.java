package io.fdloop.net;

import java.lang.foreign.MemorySegment;

/**
 * What happens on a {@link Connection}: bytes arrive, the peer ends its stream, the write buffer
 * fills or drains, the connection closes. Only {@link #onData} must be written, so a handler can be
 * a lambda: {@code (connection, data) -> connection.writeCopy(data)} is an echo server.
 *
 * <p><b>Called on the connection's loop thread only</b>, one callback at a time; a callback must not block.
 */
@FunctionalInterface
public interface ConnectionHandler {

    /**
     * Bytes arrived. {@code data} is a view of a buffer the loop owns and reuses: it is valid only
     * until this method returns (copy what you keep, or {@link Connection#writeCopy} it). Nothing is
     * allocated per call.
     *
     * @param connection the connection
     * @param data the bytes that arrived
     */
    void onData(Connection connection, MemorySegment data);

    /**
     * The peer closed its side (it sent FIN): no more data will arrive, but this side may still write.
     * The default closes the connection gracefully (what is queued is sent first).
     *
     * @param connection the connection
     */
    default void onEndOfStream(Connection connection) {
        connection.close();
    }

    /**
     * The bytes queued for writing crossed the high watermark ({@code writable} false: stop producing)
     * or fell back below the low one ({@code writable} true). See {@link NetOptions#WRITE_HIGH_WATER_MARK}.
     *
     * @param connection the connection
     * @param writable whether it is writable now
     */
    default void onWritabilityChanged(Connection connection, boolean writable) {
    }

    /**
     * The connection is closed and its fd released; called exactly once, after every pending write
     * completed or failed (a connect that fails tells its future or completion handler instead). {@code cause} is null when this side closed it ({@link Connection#close()},
     * {@link Connection#abort()}, or the loop closing), else the error that ended it (a
     * {@code java.net.SocketException} naming the peer for a reset or a broken pipe).
     *
     * @param connection the connection
     * @param cause null, or the error that ended it
     */
    default void onClosed(Connection connection, Throwable cause) {
    }
}
