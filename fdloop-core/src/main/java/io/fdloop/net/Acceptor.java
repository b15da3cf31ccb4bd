package io.fdloop.net;

/**
 * Decides what to do with each connection a {@link Listener} accepts.
 *
 * <p><b>Called on the accepting loop's thread only.</b>
 */
@FunctionalInterface
public interface Acceptor {
    /**
     * Returns the handler for the new {@code connection}, or null to refuse it (it is then closed).
     * The connection is already open: the handler may write to it at once.
     *
     * @param connection the connection
     * @return the handler, or null to refuse the connection
     */
    ConnectionHandler accept(Connection connection);
}
