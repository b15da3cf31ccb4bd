package io.fdloop.internal.net.uring;

import io.fdloop.Timer;
import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.Sockets;
import io.fdloop.internal.net.ListenSocket;
import io.fdloop.internal.net.SocketConfig;
import io.fdloop.internal.uring.LoopRing;
import io.fdloop.net.Acceptor;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;

import static io.fdloop.internal.linux.IoUringLayout.CQE_F_MORE;

/**
 * A listening socket with one multishot {@code IORING_OP_ACCEPT} in the kernel (Linux 5.19): each accepted
 * connection arrives as a completion carrying its fd (blocking and close-on-exec: io_uring never blocks
 * on it, and its worker threads must wait on it rather than spin), and the accept stays armed until the
 * kernel ends it (its completion queue was full, or an error), when it is armed again. When the process
 * or system runs out of fds ({@code EMFILE}, {@code ENFILE}) or memory, accepting pauses for
 * {@value #PAUSE_MS} ms at a time, as on epoll; the pending connections wait in the backlog. Closing
 * cancels the accept; a connection the kernel accepted before the cancel took effect is closed.
 *
 * <p><b>Loop thread only.</b>
 */
final class UringListenSocket extends ListenSocket implements UringMechanism.Client {
    static final long PAUSE_MS = 100;
    private static final int ACCEPT = 1, CANCEL = 2;
    private static final System.Logger LOG = System.getLogger("io.fdloop.net");

    private final UringMechanism mechanism;
    private final int slot;
    private boolean armWanted;
    private boolean armed; // an accept is in the kernel
    private boolean cancelWanted;
    private long acceptUserData;
    private Timer pause;
    private boolean pauseLogged;

    UringListenSocket(UringMechanism mechanism, int fd, int family, SocketAddress localAddress, SocketConfig config,
                      Acceptor acceptor) {
        super(mechanism.engine, fd, family, localAddress, config, acceptor);
        this.mechanism = mechanism;
        this.slot = mechanism.attach(this);
    }

    void start() {
        arm();
    }

    private void arm() {
        armWanted = true;
        mechanism.schedule(this);
    }

    @Override
    public int slot() {
        return slot;
    }

    @Override
    public boolean fill(LoopRing.Submission submission) {
        if (closed) {
            armWanted = false;
            if (cancelWanted && armed) {
                long sqe = mechanism.entry(submission, slot, CANCEL);
                if (sqe < 0) {
                    return false;
                }
                SocketEntries.cancel(submission.entries(), sqe, acceptUserData);
            }
            cancelWanted = false;
            return true;
        }
        if (armWanted && !armed) {
            long sqe = mechanism.entry(submission, slot, ACCEPT);
            if (sqe < 0) {
                return false;
            }
            SocketEntries.acceptMultishot(submission.entries(), sqe, fd, Sockets.SOCK_CLOEXEC);
            acceptUserData = mechanism.lastUserData();
            armed = true;
        }
        armWanted = false;
        return true;
    }

    @Override
    public void complete(int operation, int res, int flags) {
        if (operation == ACCEPT) {
            boolean last = (flags & CQE_F_MORE) == 0;
            if (last) {
                armed = false;
            }
            if (res >= 0) {
                if (closed) {
                    engine.syscalls.close(res);
                } else {
                    pauseLogged = false;
                    accepted(res);
                }
            } else if (!closed) {
                failed(res);
            }
            if (last && !closed && pause == null) {
                arm();
            }
        }
        if (closed && !armed && mechanism.inFlight(slot) == 0) {
            mechanism.detach(slot);
        }
    }

    private void failed(int negativeErrno) {
        switch (-negativeErrno) {
            case Errno.EINTR, Errno.ECONNABORTED, Errno.EPROTO, Errno.ECANCELED -> {
                // the connection died in the backlog, or a signal: the next one may be fine
            }
            case Errno.EMFILE, Errno.ENFILE, Errno.ENOBUFS, Errno.ENOMEM -> {
                if (!pauseLogged) {
                    pauseLogged = true;
                    LOG.log(System.Logger.Level.WARNING, "cannot accept on " + localAddress() + ": "
                            + Errno.name(-negativeErrno) + " (" + Errno.description(-negativeErrno) + "); pausing accepts for "
                            + PAUSE_MS + " ms at a time until it clears (raise ulimit -n?)");
                }
                pauseAccepting();
            }
            default -> {
                LOG.log(System.Logger.Level.WARNING, "accept on " + localAddress() + " failed: "
                        + Errno.name(-negativeErrno) + " (" + Errno.description(-negativeErrno) + ")");
                pauseAccepting();
            }
        }
    }

    private void pauseAccepting() {
        if (pause == null) {
            pause = engine.loop.schedule(Duration.ofMillis(PAUSE_MS), () -> {
                pause = null;
                if (!closed && !armed) {
                    arm();
                }
            });
        }
    }

    /** Accepting is not driven by budgets on io_uring: the kernel's multishot accept paces itself. */
    @Override
    public void continueWork() {
    }

    private void accepted(int child) {
        SocketAddress remote;
        SocketAddress local;
        try {
            local = setUpAccepted(child);
            remote = Sockets.remoteAddress(engine.syscalls, child);
        } catch (IOException | RuntimeException e) {
            engine.syscalls.close(child);
            LOG.log(System.Logger.Level.WARNING, "could not set up a connection accepted on " + localAddress(), e);
            return;
        }
        UringConnection connection = new UringConnection(mechanism, config, child, family, remote, local);
        handOver(connection, remote);
    }

    @Override
    protected void stopAccepting() {
        if (pause != null) {
            pause.cancel();
            pause = null;
        }
        if (armed) {
            cancelWanted = true;
            mechanism.schedule(this);
        } else if (mechanism.inFlight(slot) == 0) {
            mechanism.detach(slot);
        }
    }

    @Override
    public String toString() {
        return "Listener[" + localAddress() + ", io_uring" + (closed ? ", closed]" : "]");
    }
}
