package io.fdloop.internal.net.epoll;

import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.Errors;
import io.fdloop.internal.linux.EpollEvents;
import io.fdloop.internal.linux.Msghdr;
import io.fdloop.internal.linux.SocketOptionNumbers;
import io.fdloop.internal.linux.Sockets;
import io.fdloop.internal.loop.FdWatcher;
import io.fdloop.internal.net.ConnectCompletion;
import io.fdloop.internal.net.FileSend;
import io.fdloop.internal.net.NetConnection;
import io.fdloop.internal.net.SocketConfig;
import io.fdloop.net.ConnectionHandler;
import io.fdloop.net.NetMechanism;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.time.Duration;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A connection on epoll readiness.
 *
 * <p>Reading: on {@code EPOLLIN} the loop reads into its shared buffer and hands each read to
 * {@code onData}, until a read comes back shorter than the buffer (the socket is drained), EAGAIN, end
 * of stream, or {@link #READ_BUDGET} bytes were read this iteration (then it goes on at the next flush
 * step, so one busy connection cannot starve the others). Stopping at a short read instead of reading
 * on to EAGAIN saves a system call per wake-up and loses nothing with {@code EPOLLET}: every later
 * arrival of data wakes the socket's wait queue, which queues a new event (fs/eventpoll.c,
 * {@code ep_poll_callback}). On a hang-up ({@code EPOLLRDHUP}/{@code EPOLLHUP}) it reads on to end of stream.
 *
 * <p>Writing: after a read event is handled (what {@code onData} queued in answer, so that the peer works
 * on it while the loop reads the next socket, as Netty flushes at read-complete) and at the flush step
 * (what was queued elsewhere), everything queued goes out in one {@code sendmsg} (up to
 * {@link EpollMechanism#MAX_IOVECS} buffers; {@code MSG_NOSIGNAL}, and {@code MSG_MORE} while more is
 * queued behind, such as a file range after its headers). A partial write arms {@code EPOLLOUT}
 * (one {@code EPOLL_CTL_MOD}); the rest goes when the socket turns writable, and {@code EPOLLOUT} is
 * disarmed once the queue is empty. At most {@link #CALLS_PER_FLUSH} calls per connection per
 * iteration. File ranges: see {@link #sendFileRange}.
 *
 * <p><b>Loop thread only.</b>
 */
final class EpollConnection extends NetConnection implements FdWatcher {
    static final long READ_BUDGET = 256 * 1024;
    static final int CALLS_PER_FLUSH = 16;
    static final long SENDFILE_CHUNK = 1024 * 1024;
    private static final int EVENTS = EpollEvents.EPOLLIN | EpollEvents.EPOLLRDHUP | EpollEvents.EPOLLET;
    private static final int HANGUP = EpollEvents.EPOLLRDHUP | EpollEvents.EPOLLHUP | EpollEvents.EPOLLERR;

    private final EpollMechanism mechanism;
    private long token;
    private boolean watched;
    private boolean watchingOut;
    private boolean hungUp; // epoll reported EPOLLRDHUP/EPOLLHUP/EPOLLERR: read on to end of stream, even across budgets

    /** An accepted connection, open at once. */
    EpollConnection(EpollMechanism mechanism, SocketConfig config, int fd, int family, SocketAddress remote,
                    SocketAddress local) throws IOException {
        super(mechanism.engine, config, fd, family, remote, OPEN);
        this.mechanism = mechanism;
        this.local = local;
        this.handle = config.handleFor(this);
        try {
            token = engine.host.watch(fd, EVENTS, this);
            watched = true;
        } catch (IOException | RuntimeException e) {
            finish(null, false);
            throw e;
        }
    }

    /** An outgoing connection, connecting until {@link #ready} sees EPOLLOUT. */
    EpollConnection(EpollMechanism mechanism, SocketConfig config, int fd, int family, SocketAddress remote,
                    ConnectionHandler handler, ConnectCompletion completion) {
        super(mechanism.engine, config, fd, family, remote, CONNECTING);
        this.mechanism = mechanism;
        this.handler = handler;
        this.connecting = completion;
    }

    @Override
    protected void accepted(ConnectionHandler acceptedHandler) {
        this.handler = acceptedHandler;
    }


    void startConnecting(long timeoutMs) {
        try {
            token = engine.host.watch(fd, EVENTS | EpollEvents.EPOLLOUT, this);
            watched = true;
            watchingOut = true;
        } catch (IOException | RuntimeException e) {
            connectFailed(e);
            return;
        }
        if (timeoutMs > 0) {
            connectTimer = engine.loop.schedule(Duration.ofMillis(timeoutMs), () -> {
                connectTimer = null;
                if (state == CONNECTING) {
                    connectFailed(Errors.connectTimedOut(remote, timeoutMs));
                }
            });
        }
    }

    @Override
    public void ready(int events) {
        if (state == CONNECTING) {
            connectReady(events);
            return;
        }
        if ((events & HANGUP) != 0) {
            hungUp = true;
        }
        if ((events & (EpollEvents.EPOLLIN | HANGUP)) != 0 && state != CLOSED) {
            readReady();
            flushAfterRead();
        }
        if (watchingOut && state != CLOSED && (events & (EpollEvents.EPOLLOUT | EpollEvents.EPOLLERR
                | EpollEvents.EPOLLHUP)) != 0) {
            // The edge came. The flush disarms EPOLLOUT once the queue is empty; if the socket fills
            // again, it stays armed and the next edge comes when there is room.
            writableAgain();
            if (state != CLOSED && !hasOutput()) {
                disarmOut();
            }
        }
    }

    // ---- connecting ---------------------------------------------------------------------------

    private void connectReady(int events) {
        int error = socketError();
        if (error == 0 && (events & (EpollEvents.EPOLLERR | EpollEvents.EPOLLHUP)) == 0) {
            established();
        } else {
            connectFailed(error != 0 ? Errors.socketException("connect", -error, remote)
                    : new ConnectException("connect to " + remote + " failed: the socket hung up"));
        }
    }

    private void established() {
        try {
            local = Sockets.localAddress(engine.syscalls, fd);
        } catch (IOException e) {
            connectFailed(e);
            return;
        }
        int r = engine.host.rewatch(token, fd, EVENTS);
        if (r < 0) {
            connectFailed(Errors.ioException("epoll_ctl", r, "fd " + fd));
            return;
        }
        watchingOut = false;
        connectSucceeded();
    }

    private int socketError() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, 4);
            int r = engine.syscalls.getsockopt(fd, SocketOptionNumbers.SOL_SOCKET, SocketOptionNumbers.SO_ERROR,
                    value, length);
            return r < 0 ? -r : value.get(JAVA_INT, 0);
        }
    }

    // ---- reading ----------------------------------------------------------------------------------

    private void readReady() {
        if (userReadHandler != null) {
            readIntoUserBuffer();
            return;
        }
        if (state != OPEN || readingPaused || endOfStream || handler == null) {
            if (hungUp && readingPaused && state == OPEN) {
                int error = socketError();
                if (error != 0) {
                    failed(Errors.socketException("recv", -error, remote));
                }
            }
            return;
        }
        readLoop();
    }

    @Override
    protected void readMore() {
        if (userReadHandler != null) {
            readIntoUserBuffer();
        } else if (state == OPEN && !readingPaused && !endOfStream && handler != null) {
            readLoop();
        }
    }

    private void readLoop() {
        long budget = READ_BUDGET;
        long buffer = engine.readBuffer().address();
        int size = engine.readBuffer().size();
        while (true) {
            long n = engine.syscalls.recv(fd, buffer, size, 0);
            if (n > 0) {
                if (!deliver(engine.readBuffer().view((int) n))) {
                    if (userReadHandler != null && state == OPEN) {
                        continueLater();
                    }
                    return;
                }
                budget -= n;
                if (n < size && !hungUp) {
                    return;
                }
                if (budget <= 0) {
                    continueLater();
                    return;
                }
            } else if (n == 0) {
                endOfStreamReached();
                return;
            } else if (n == -Errno.EAGAIN) {
                return;
            } else if (n != -Errno.EINTR) {
                failed(Errors.socketException("recv", n, remote));
                return;
            }
        }
    }

    private void readIntoUserBuffer() {
        while (userReadHandler != null && state != CLOSED) {
            long n = engine.syscalls.recv(fd, userRead.address(), userRead.byteSize(), 0);
            if (n > 0) {
                userReadCompleted(n);
            } else if (n == 0) {
                endOfStreamReached();
                return;
            } else if (n == -Errno.EAGAIN) {
                return;
            } else if (n != -Errno.EINTR) {
                failed(Errors.socketException("recv", n, remote));
                return;
            }
        }
    }

    // ---- writing ----------------------------------------------------------------------------------

    @Override
    protected boolean waitingForWritable() {
        return watchingOut;
    }

    @Override
    protected void flushOutput() {
        int calls = 0;
        while (!queue.isEmpty() && state != CLOSED) {
            if (calls >= CALLS_PER_FLUSH) {
                requestFlush();
                return;
            }
            switch (queue.head()) {
                case BUFFERS -> {
                    int count = queue.gather(mechanism.iovecs, EpollMechanism.MAX_IOVECS);
                    if (count == 0) {
                        queue.consumed(0, this);
                        continue;
                    }
                    if (!queue.gatheredAlive()) {
                        finish(new IllegalStateException("the arena of a buffer queued for writing to " + remote
                                + " was closed before the write completed; the connection is reset, since its byte "
                                + "stream can no longer be what was queued"), true);
                        return;
                    }
                    long bytes = queue.gatheredBytes();
                    int flags = Sockets.MSG_NOSIGNAL | (queue.moreAfterGathered() ? Sockets.MSG_MORE : 0);
                    long n = sendmsg(count, flags);
                    calls++;
                    if (n < 0) {
                        if (n == -Errno.EINTR) {
                            continue;
                        }
                        if (n == -Errno.EAGAIN) {
                            armOut();
                        } else {
                            failed(Errors.socketException("sendmsg", n, remote));
                        }
                        return;
                    }
                    queue.consumed(n, this);
                    if (n < bytes) {
                        armOut();
                        return;
                    }
                }
                case FILE -> {
                    int used = sendFileRange(queue.headFile(), CALLS_PER_FLUSH - calls);
                    if (used < 0) {
                        return; // waiting: for room in the socket, a file read, or the connection ended
                    }
                    calls += Math.max(1, used);
                }
                case SHUTDOWN -> {
                    int r = engine.syscalls.shutdown(fd, Sockets.SHUT_WR);
                    if (r < 0 && r != -Errno.ENOTCONN) {
                        failed(Errors.socketException("shutdown", r, remote));
                        return;
                    }
                    outputShut = true;
                    queue.completeHead(this);
                }
            }
        }
        if (state != CLOSED && queue.isEmpty()) {
            disarmOut();
        }
    }

    private long sendmsg(int count, int flags) {
        Msghdr.setIovecCount(mechanism.msghdr, count);
        return engine.syscalls.sendmsg(fd, mechanism.msghdr.address(), flags);
    }

    /**
     * Sends the file range at the head of the queue, as far as it can without blocking, in this order:
     * bytes already read into its buffer go by {@code sendmsg}; an {@code O_DIRECT} file is always read
     * asynchronously (aligned) through its backend; a buffered range that {@code cachestat(2)} finds
     * entirely in the page cache goes by {@code sendfile(2)} on the loop (at most {@link #SENDFILE_CHUNK}
     * per call); one that is not is read asynchronously through the file's backend into a loop buffer
     * and sent from there; without cachestat (before Linux 6.5) a {@code preadv2(RWF_NOWAIT)} copies the
     * resident prefix, and only the rest is read asynchronously. Returns the calls made, or -1 when it
     * must wait (the socket is full, a read is in flight, or the connection ended).
     */
    private int sendFileRange(FileSend send, int callsLeft) {
        int calls = 0;
        while (calls < callsLeft) {
            Throwable failure = send.takeReadFailure();
            if (failure != null) {
                finish(failure, true);
                return -1;
            }
            if (send.bufferedLength() > 0) {
                long length = send.bufferedLength();
                Msghdr.setIovec(mechanism.iovecs, 0, send.bufferedAddress(), length);
                long n = sendmsg(1, Sockets.MSG_NOSIGNAL | (queue.size() > 1 || send.remaining() > length
                        ? Sockets.MSG_MORE : 0));
                calls++;
                if (n == -Errno.EINTR) {
                    continue;
                }
                if (n < 0) {
                    if (n == -Errno.EAGAIN) {
                        armOut();
                    } else {
                        failed(Errors.socketException("sendmsg", n, remote));
                    }
                    return -1;
                }
                send.sentFromBuffer(n);
                queue.fileProgress(n);
                if (n < length) {
                    armOut();
                    return -1;
                }
                continue;
            }
            if (send.remaining() == 0) {
                queue.completeHead(this);
                return calls;
            }
            if (send.isReading()) {
                return -1;
            }
            if (send.isDirect()) {
                send.startRead();
                return -1;
            }
            long chunk = Math.min(send.remaining(), SENDFILE_CHUNK);
            int resident = engine.pageCache.resident(send.fileFd(), send.position(), chunk);
            calls++;
            if (resident == 1) {
                mechanism.sendfileOffset.set(JAVA_LONG, 0, send.position());
                long n = engine.syscalls.sendfile(fd, send.fileFd(), mechanism.sendfileOffset.address(), chunk);
                calls++;
                if (n > 0) {
                    send.sentByKernel(n);
                    queue.fileProgress(n);
                } else if (n == 0) {
                    finish(send.endOfFile(), true);
                    return -1;
                } else if (n == -Errno.EAGAIN) {
                    armOut();
                    return -1;
                } else if (n != -Errno.EINTR) {
                    failed(n == -Errno.EPIPE || n == -Errno.ECONNRESET ? Errors.socketException("sendfile", n, remote)
                            : Errors.ioException("sendfile", n, send.describe()));
                    return -1;
                }
            } else if (resident == 0) {
                send.startRead();
                return -1;
            } else {
                MemorySegment buffer = send.buffer();
                long n = engine.pageCache.readNowait(send.fileFd(), buffer.address(),
                        Math.min(send.remaining(), buffer.byteSize()), send.position(), mechanism.iovecs);
                calls++;
                if (n > 0) {
                    send.filled(n);
                } else if (n == 0) {
                    finish(send.endOfFile(), true);
                    return -1;
                } else {
                    send.startRead(); // EAGAIN: not resident; EOPNOTSUPP: no RWF_NOWAIT here
                    return -1;
                }
            }
        }
        requestFlush();
        return -1;
    }

    /**
     * The socket took less than it was given: wait for EPOLLOUT. The mask is modified even when EPOLLOUT is
     * armed already, because {@code EPOLL_CTL_MOD} re-polls the socket and queues an event at once if it is
     * writable again, so no edge can be missed, even after an EAGAIN the kernel did not follow with a
     * write-space wake-up. A full socket costs one {@code epoll_ctl}; writes that fit cost none.
     */
    private void armOut() {
        int r = engine.host.rewatch(token, fd, EVENTS | EpollEvents.EPOLLOUT);
        if (r < 0) {
            failed(Errors.ioException("epoll_ctl", r, "fd " + fd));
            return;
        }
        watchingOut = true;
    }

    /** EPOLLOUT is armed only while output waits for room. */
    private void disarmOut() {
        if (watchingOut) {
            watchingOut = false;
            engine.host.rewatch(token, fd, EVENTS);
        }
    }

    // ---- closing ------------------------------------------------------------------------------------

    @Override
    protected NetMechanism kind() {
        return NetMechanism.EPOLL;
    }

    @Override
    protected boolean release(boolean reset) {
        if (watched) {
            if (!reset) {
                drainInput();
            }
            engine.host.unwatch(token, fd);
            watched = false;
        }
        if (reset) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment linger = arena.allocate(SocketOptionNumbers.LINGER_SIZE, 4);
                linger.set(JAVA_INT, SocketOptionNumbers.LINGER_ONOFF, 1);
                linger.set(JAVA_INT, SocketOptionNumbers.LINGER_SECONDS, 0);
                engine.syscalls.setsockopt(fd, SocketOptionNumbers.SOL_SOCKET, SocketOptionNumbers.SO_LINGER, linger,
                        SocketOptionNumbers.LINGER_SIZE);
            }
        }
        return true;
    }

    /**
     * Reads and drops what the peer sent and nobody read, so that closing does not answer it with a
     * reset (tcp_close sends RST when unread data is queued), which could destroy our last bytes in flight.
     */
    private void drainInput() {
        long buffer = engine.readBuffer().address();
        for (long drained = 0; drained < READ_BUDGET; ) {
            long n = engine.syscalls.recv(fd, buffer, engine.readBuffer().size(), Sockets.MSG_DONTWAIT);
            if (n <= 0) {
                return;
            }
            drained += n;
        }
    }
}
