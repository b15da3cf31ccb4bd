package io.fdloop.internal.net;

import io.fdloop.net.Connection;

/**
 * Where a connect's outcome goes: exactly one of the two methods is called, once, on the loop thread.
 *
 * <p><b>Loop thread only.</b>
 */
public interface ConnectCompletion {
    void connected(Connection connection);

    void failed(Throwable error);
}
