package io.fdloop.internal.net.epoll;

import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.Errors;
import io.fdloop.internal.linux.Msghdr;
import io.fdloop.internal.linux.SocketAddresses;
import io.fdloop.internal.linux.Sockets;
import io.fdloop.internal.net.ConnectCompletion;
import io.fdloop.internal.net.ListenSocket;
import io.fdloop.internal.net.NetEngine;
import io.fdloop.internal.net.SocketConfig;
import io.fdloop.internal.net.SocketMechanism;
import io.fdloop.net.Acceptor;
import io.fdloop.net.ConnectionHandler;
import io.fdloop.net.NetMechanism;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.ConnectException;
import java.net.SocketAddress;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Readiness: every socket sits in the loop's epoll set, edge-triggered ({@code EPOLLIN | EPOLLRDHUP |
 * EPOLLET}, plus {@code EPOLLOUT} only while output waits for room), and the loop moves bytes with
 * {@code recv}, {@code sendmsg} and {@code sendfile} when epoll says the socket is ready. Holds what
 * the loop's connections share for those calls: the iovec array and msghdr of one {@code sendmsg}, the
 * {@code sendfile} offset and the address buffer of {@code accept4}.
 *
 * <p><b>Loop thread only</b>, except construction.
 */
public final class EpollMechanism implements SocketMechanism {
    /** The iovecs one sendmsg gathers at most. */
    static final int MAX_IOVECS = 256;

    final NetEngine engine;
    final MemorySegment iovecs;
    final MemorySegment msghdr;
    final MemorySegment sendfileOffset;
    final MemorySegment acceptAddress;
    final MemorySegment acceptAddressLength;

    public EpollMechanism(NetEngine engine) {
        this.engine = engine;
        Arena arena = Arena.ofAuto();
        this.iovecs = arena.allocate(MAX_IOVECS * Msghdr.IOVEC_SIZE, 8);
        this.msghdr = arena.allocate(Msghdr.SIZE, 8);
        Msghdr.fill(msghdr, iovecs.address(), 0);
        this.sendfileOffset = arena.allocate(JAVA_LONG);
        this.acceptAddress = arena.allocate(SocketAddresses.MAX_SIZE, 8);
        this.acceptAddressLength = arena.allocate(JAVA_LONG);
    }

    @Override
    public NetMechanism kind() {
        return NetMechanism.EPOLL;
    }

    @Override
    public ListenSocket listen(int fd, int family, SocketAddress localAddress, SocketConfig config, Acceptor acceptor)
            throws IOException {
        EpollListenSocket listener = new EpollListenSocket(this, fd, family, localAddress, config, acceptor);
        listener.start();
        engine.added(listener);
        return listener;
    }

    @Override
    public void connect(SocketConfig config, SocketAddress remote, SocketAddress local, long timeoutMs,
                        ConnectionHandler handler, ConnectCompletion completion) {
        int family;
        int fd;
        try {
            family = SocketAddresses.family(remote);
            fd = Sockets.open(engine.syscalls, family);
            config.prepareOutgoing(engine.syscalls, fd, family, local);
        } catch (IOException | RuntimeException e) {
            completion.failed(e);
            return;
        }
        int r = Sockets.connect(engine.syscalls, fd, remote);
        if (r < 0 && r != -Errno.EINPROGRESS) {
            engine.syscalls.close(fd);
            completion.failed(r == -Errno.EAGAIN && family == Sockets.AF_UNIX
                    ? new ConnectException("connect to " + remote + ": the listener's backlog is full (EAGAIN)")
                    : Errors.socketException("connect", r, remote));
            return;
        }
        EpollConnection connection = new EpollConnection(this, config, fd, family, remote, handler, completion);
        // Connected at once (a Unix socket) or not, the outcome is delivered from the loop's dispatch,
        // never inside the caller's own call: EPOLLOUT reports it.
        connection.startConnecting(timeoutMs);
    }
}
