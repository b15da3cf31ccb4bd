package io.fdloop.internal.net;

import io.fdloop.net.Acceptor;
import io.fdloop.net.ConnectionHandler;
import io.fdloop.net.NetMechanism;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * How one loop's sockets reach the kernel: the seam beside which a second mechanism (io_uring
 * networking on the loop's ring) goes. A mechanism makes the connections and listeners of its kind;
 * what is common to every mechanism (the write queue, the close state machine, options, sendFile's
 * choice of path) lives in {@link NetConnection}, {@link WriteQueue} and {@link FileSend}.
 *
 * <p><b>Loop thread only</b>, except {@link #kind()}.
 */
public interface SocketMechanism {

    NetMechanism kind();

    /** Starts accepting on {@code fd}, a bound and listening socket; each connection gets {@code config}. */
    ListenSocket listen(int fd, int family, SocketAddress localAddress, SocketConfig config, Acceptor acceptor)
            throws IOException;

    /**
     * Connects to {@code remote} (from {@code local} when not null) and tells {@code completion} on the loop
     * thread, within {@code timeoutMs}.
     */
    void connect(SocketConfig config, SocketAddress remote, SocketAddress local, long timeoutMs,
                 ConnectionHandler handler, ConnectCompletion completion);
}
