package io.fdloop.internal.net.epoll;

import io.fdloop.Timer;
import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.EpollEvents;
import io.fdloop.internal.linux.SocketAddresses;
import io.fdloop.internal.linux.Sockets;
import io.fdloop.internal.loop.FdWatcher;
import io.fdloop.internal.net.ListenSocket;
import io.fdloop.internal.net.SocketConfig;
import io.fdloop.net.Acceptor;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A listening socket in the loop's epoll set ({@code EPOLLIN | EPOLLET}): on each wake-up it accepts
 * with {@code accept4(SOCK_NONBLOCK | SOCK_CLOEXEC)} until EAGAIN, at most {@link #ACCEPTS_PER_ITERATION}
 * per iteration (the rest at the next one). When the process or system runs out of fds ({@code EMFILE},
 * {@code ENFILE}) or memory, it stops accepting for {@link #PAUSE_MS} ms, as nginx and Netty do, instead
 * of spinning on a connection it cannot take; the pending connections wait in the backlog.
 *
 * <p><b>Loop thread only.</b>
 */
final class EpollListenSocket extends ListenSocket implements FdWatcher {
    static final int ACCEPTS_PER_ITERATION = 64;
    static final long PAUSE_MS = 100;
    private static final System.Logger LOG = System.getLogger("io.fdloop.net");

    private final EpollMechanism mechanism;
    private long token;
    private Timer pause;
    private boolean pauseLogged;

    EpollListenSocket(EpollMechanism mechanism, int fd, int family, SocketAddress localAddress, SocketConfig config,
                      Acceptor acceptor) {
        super(mechanism.engine, fd, family, localAddress, config, acceptor);
        this.mechanism = mechanism;
    }

    void start() throws IOException {
        token = engine.host.watch(fd, EpollEvents.EPOLLIN | EpollEvents.EPOLLET, this);
    }

    @Override
    public void ready(int epollEvents) {
        if (pause == null && !closed) {
            acceptAll();
        }
    }

    /** More connections may wait than one iteration's budget took, or a pause ended: accept again. */
    @Override
    public void continueWork() {
        if (pause == null && !closed) {
            acceptAll();
        }
    }

    private void acceptAll() {
        for (int i = 0; i < ACCEPTS_PER_ITERATION; i++) {
            mechanism.acceptAddressLength.set(JAVA_INT, 0, SocketAddresses.MAX_SIZE);
            int child = engine.syscalls.accept4(fd, mechanism.acceptAddress, mechanism.acceptAddressLength,
                    Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC);
            if (child >= 0) {
                pauseLogged = false;
                accepted(child, SocketAddresses.decode(mechanism.acceptAddress,
                        mechanism.acceptAddressLength.get(JAVA_INT, 0)));
                if (closed) {
                    return;
                }
                continue;
            }
            switch (-child) {
                case Errno.EAGAIN -> {
                    return;
                }
                case Errno.EINTR, Errno.ECONNABORTED, Errno.EPROTO -> {
                    // the connection died in the backlog, or a signal: the next one may be fine
                }
                case Errno.EMFILE, Errno.ENFILE, Errno.ENOBUFS, Errno.ENOMEM -> {
                    pauseAccepting(child);
                    return;
                }
                default -> {
                    LOG.log(System.Logger.Level.WARNING, "accept4 on " + localAddress() + " failed: "
                            + Errno.name(-child) + " (" + Errno.description(-child) + ")");
                    return;
                }
            }
        }
        engine.continueLater(this);
    }

    private void pauseAccepting(int negativeErrno) {
        if (!pauseLogged) {
            pauseLogged = true;
            LOG.log(System.Logger.Level.WARNING, "cannot accept on " + localAddress() + ": " + Errno.name(-negativeErrno)
                    + " (" + Errno.description(-negativeErrno) + "); pausing accepts for " + PAUSE_MS
                    + " ms at a time until it clears (raise ulimit -n?)");
        }
        pause = engine.loop.schedule(Duration.ofMillis(PAUSE_MS), () -> {
            pause = null;
            continueWork();
        });
    }

    private void accepted(int child, SocketAddress remote) {
        SocketAddress local;
        try {
            local = setUpAccepted(child);
        } catch (IOException | RuntimeException e) {
            engine.syscalls.close(child);
            LOG.log(System.Logger.Level.WARNING, "could not set up the connection from " + remote + " accepted on "
                    + localAddress(), e);
            return;
        }
        EpollConnection connection;
        try {
            connection = new EpollConnection(mechanism, config, child, family, remote, local);
        } catch (IOException | RuntimeException e) {
            // the connection closed its fd itself
            LOG.log(System.Logger.Level.WARNING, "could not watch the connection from " + remote + " accepted on "
                    + localAddress(), e);
            return;
        }
        handOver(connection, remote);
    }

    @Override
    protected void stopAccepting() {
        if (pause != null) {
            pause.cancel();
            pause = null;
        }
        engine.host.unwatch(token, fd);
    }
}
