package io.fdloop.internal.net.uring;

import io.fdloop.internal.file.KernelMemory;
import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.Errors;
import io.fdloop.internal.linux.Msghdr;
import io.fdloop.internal.linux.SocketOptionNumbers;
import io.fdloop.internal.linux.Sockets;
import io.fdloop.internal.net.ConnectCompletion;
import io.fdloop.internal.net.FileSend;
import io.fdloop.internal.net.NetConnection;
import io.fdloop.internal.net.SocketConfig;
import io.fdloop.internal.uring.LoopRing;
import io.fdloop.net.ConnectionHandler;
import io.fdloop.net.NetMechanism;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;

import static io.fdloop.internal.linux.IoUringLayout.CQE_BUFFER_SHIFT;
import static io.fdloop.internal.linux.IoUringLayout.CQE_F_BUFFER;
import static io.fdloop.internal.linux.IoUringLayout.CQE_F_MORE;
import static io.fdloop.internal.linux.IoUringLayout.SPLICE_F_MORE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A connection on the loop's io_uring.
 *
 * <p>Reading: one multishot {@code IORING_OP_RECV} stays in the kernel while the connection reads
 * (Linux 6.0); each receive lands in a buffer the kernel takes from the loop's provided buffer ring, and
 * {@code onData} gets a view of that buffer, which goes back to the ring when the callback returns. An
 * idle connection holds no buffer. {@code pauseReading()} cancels the receive at the next flush step
 * (and nothing re-arms it while paused), so the kernel's flow control reaches the peer; bytes the kernel
 * received before the cancel took effect wait in an {@link InputBacklog} and come first when reading
 * resumes. A read into the user's buffer takes the next receive of the multishot when one is armed;
 * while paused it is a plain {@code IORING_OP_RECV} into the user's memory (or, for memory whose arena
 * may be closed at any time, into a provided buffer, copied out when it completes).
 *
 * <p>Writing: at the flush step, what is queued goes out as one {@code IORING_OP_SEND} (one buffer) or
 * {@code IORING_OP_SENDMSG} (up to {@value SendBlocks#IOVECS}), with {@code MSG_MORE} while more is
 * queued behind; at most one send is in the kernel per connection, so bytes leave in order. The
 * kernel waits for room itself (it polls a full socket), so a short send simply continues with the rest
 * when it completes. {@code sendFile} of a buffered file splices: file to one of the loop's pipes, then
 * pipe to socket ({@code IORING_OP_SPLICE}, which the kernel runs on a worker of its own, so a cold file
 * never blocks the loop); an {@code O_DIRECT} file is read through its backend into a loop buffer and
 * sent from there. {@code shutdownOutput} is a {@code shutdown(2)} on the loop once what was queued
 * before it is sent: it never blocks, and {@code IORING_OP_SHUTDOWN} would cost a worker thread's
 * wake-up (the kernel always runs it asynchronously, io_uring/net.c).
 *
 * <p>Connecting: {@code IORING_OP_CONNECT}, bounded by the loop's timer, which cancels it.
 *
 * <p>Closing: what is in flight is cancelled ({@code IORING_OP_ASYNC_CANCEL} by fd); once every request
 * has completed, the pending writes fail and the fd closes, in that order.
 *
 * <p><b>Loop thread only.</b>
 */
final class UringConnection extends NetConnection implements UringMechanism.Client {
    private static final int RECV_MULTISHOT = 1, RECV = 2, SEND = 3, SEND_MSG = 4, SEND_FILE_BUFFER = 5,
            SPLICE_TO_PIPE = 6, SPLICE_TO_SOCKET = 7, CONNECT = 8, CANCEL = 9;
    private static final int NONE = 0;
    /** What a close drains from the socket at most, so that unread bytes do not turn the FIN into a reset. */
    private static final long DRAIN_LIMIT = 256 * 1024;

    private final UringMechanism mechanism;
    private final int slot;

    // reading
    private int recv; // RECV_MULTISHOT, RECV or NONE: the receive in the kernel
    private long recvUserData;
    private boolean recvCancelled; // a cancel of it is in the kernel
    private boolean recvWanted;
    private boolean userRecvWanted;
    private boolean recvCancelWanted;
    private InputBacklog backlog;
    private boolean endOfStreamPending; // the peer's FIN came behind bytes still in the backlog

    // writing
    private int sendPrepared; // the operation the next fill submits
    private int sendInKernel;
    private long sendAddress;
    private int sendLength;
    private int sendFlags;
    private SendBlocks.Block block;
    private SplicePipes.Pipe pipe;
    private int pipeBytes; // bytes of ours in the pipe, spliced in and not yet out

    // connecting
    private MemorySegment connectAddress;
    private int connectAddressLength;
    private long connectTimeoutMs;
    private boolean connectWanted;
    private boolean connectInKernel;
    private long connectUserData;
    private boolean connectCancelWanted;
    private boolean connectTimedOut;

    // closing
    private boolean cancelAllWanted;
    private boolean resetOnRelease;

    /** An accepted connection, open at once; it reads once it has its handler. */
    UringConnection(UringMechanism mechanism, SocketConfig config, int fd, int family, SocketAddress remote,
                    SocketAddress local) {
        super(mechanism.engine, config, fd, family, remote, OPEN);
        this.mechanism = mechanism;
        this.slot = mechanism.attach(this);
        this.local = local;
        this.handle = config.handleFor(this);
    }

    /** An outgoing connection, connecting until its {@code IORING_OP_CONNECT} completes. */
    UringConnection(UringMechanism mechanism, SocketConfig config, int fd, int family, SocketAddress remote,
                    ConnectionHandler handler, ConnectCompletion completion) {
        super(mechanism.engine, config, fd, family, remote, CONNECTING);
        this.mechanism = mechanism;
        this.slot = mechanism.attach(this);
        this.handler = handler;
        this.connecting = completion;
    }

    @Override
    public int slot() {
        return slot;
    }

    @Override
    protected NetMechanism kind() {
        return NetMechanism.URING;
    }

    @Override
    protected void accepted(ConnectionHandler acceptedHandler) {
        this.handler = acceptedHandler;
        updateReading();
    }


    // ---- connecting -------------------------------------------------------------------------------

    void startConnecting(MemorySegment address, int addressLength, long timeoutMs) {
        connectAddress = address;
        connectAddressLength = addressLength;
        connectTimeoutMs = timeoutMs;
        connectWanted = true;
        mechanism.schedule(this);
        connectTimer = engine.loop.schedule(Duration.ofMillis(timeoutMs), () -> {
            connectTimer = null;
            if (state == CONNECTING) {
                connectTimedOut = true;
                if (connectInKernel) {
                    connectCancelWanted = true;
                    mechanism.schedule(this);
                } else {
                    connectFailed(Errors.connectTimedOut(remote, timeoutMs));
                }
            }
        });
    }

    private void connectCompleted(int res) {
        connectInKernel = false;
        if (state != CONNECTING) {
            return;
        }
        if (res == 0) {
            established();
            return;
        }
        if (res == -Errno.ECONNRESET && !connectTimedOut) {
            // The handshake completed and the peer reset the connection before the kernel re-ran the
            // connect (it reports the socket's pending error then, io_uring/net.c io_connect): connected,
            // then reset, as epoll would have seen it.
            established();
            if (state == OPEN) {
                failed(Errors.socketException("recv", res, remote));
            }
            return;
        }
        Throwable error;
        if (connectTimedOut) {
            error = Errors.connectTimedOut(remote, connectTimeoutMs);
        } else if (res == -Errno.ECANCELED) {
            error = new AsynchronousCloseException();
        } else if (res == -Errno.EAGAIN && family == Sockets.AF_UNIX) {
            error = new ConnectException("connect to " + remote + ": the listener's backlog is full (EAGAIN)");
        } else {
            error = Errors.socketException("connect", res, remote);
        }
        connectFailed(error);
    }

    private void established() {
        try {
            local = Sockets.localAddress(engine.syscalls, fd);
        } catch (IOException e) {
            connectFailed(e);
            return;
        }
        connectAddress = null;
        connectSucceeded();
        updateReading();
    }

    // ---- reading ----------------------------------------------------------------------------------

    @Override
    protected void readMore() {
        updateReading();
    }

    @Override
    protected boolean userReadInKernel() {
        return recv == RECV;
    }

    /** Whether the multishot receive should be in the kernel. */
    private boolean wantsMultishot() {
        return state == OPEN && handler != null && !readingPaused && !endOfStream && !endOfStreamPending;
    }

    private boolean backlogEmpty() {
        return backlog == null || backlog.isEmpty();
    }

    /**
     * Hands over what waits in the backlog if someone can take it, then decides what the kernel should be
     * doing: the multishot receive armed, cancelled, or a receive into the user's buffer.
     */
    private void updateReading() {
        if (state == CLOSED) {
            return;
        }
        serveBacklog();
        if (state == CLOSED) {
            return;
        }
        boolean multishot = wantsMultishot();
        boolean userRecv = userReadHandler != null && !multishot && backlogEmpty() && !endOfStreamPending
                && !endOfStream;
        recvWanted = multishot && recv == NONE;
        userRecvWanted = userRecv && recv == NONE;
        recvCancelWanted = !recvCancelled && (recv == RECV_MULTISHOT && state == OPEN && !multishot
                || recv == RECV && state != OPEN);
        if (recvWanted || userRecvWanted || recvCancelWanted) {
            mechanism.schedule(this);
        }
    }

    private void serveBacklog() {
        if (!backlogEmpty()) {
            if (userReadHandler != null) {
                MemorySegment held = backlog.view();
                long n = copyToUserRead(held, 0, held.byteSize());
                if (n >= 0) {
                    backlog.take(n);
                    userReadCompleted(n);
                }
            } else if (state == OPEN && !readingPaused && handler != null) {
                MemorySegment held = backlog.view();
                backlog.clear(); // the view stays valid: nothing is appended during the callback
                deliver(held);
            }
        }
        if (endOfStreamPending && backlogEmpty() && state != CLOSED
                && (userReadHandler != null || state == OPEN && !readingPaused && handler != null)) {
            endOfStreamPending = false;
            endOfStreamReached();
        }
    }

    /**
     * Copies into the user's read buffer; returns the bytes copied, or -1 when its memory is gone (the read
     * then failed). The copy goes by address, as a {@code recv(2)} into it would, so a buffer of a confined
     * arena works as it does on epoll.
     */
    private long copyToUserRead(MemorySegment src, long offset, long length) {
        MemorySegment dst = userRead;
        if (!dst.scope().isAlive()) {
            failUserRead(new IllegalStateException("the arena of the buffer read into was closed before the read "
                    + "completed"));
            return -1;
        }
        long n = Math.min(length, dst.byteSize());
        MemorySegment into = dst.isAccessibleBy(Thread.currentThread()) ? dst
                : MemorySegment.ofAddress(dst.address()).reinterpret(n);
        MemorySegment.copy(src, offset, into, 0, n);
        return n;
    }

    private void recvCompleted(int operation, int res, int flags) {
        boolean last = (flags & CQE_F_MORE) == 0;
        if (last) {
            recv = NONE;
            recvCancelled = false;
        }
        int bid = (flags & CQE_F_BUFFER) != 0 ? flags >>> CQE_BUFFER_SHIFT : -1;
        try {
            if (res > 0) {
                if (bid >= 0) {
                    received(mechanism.buffers.view(bid, res));
                } else if (userReadHandler != null) {
                    userReadCompleted(res); // straight into the user's memory
                }
            } else if (res == 0) {
                endOfStreamCame();
            } else if (res == -Errno.ENOBUFS) {
                mechanism.bufferRingWasEmpty();
            } else if (res == -Errno.ECANCELED) {
                if (operation == RECV && state != OPEN) {
                    failUserRead(new AsynchronousCloseException());
                }
            } else if (state != CLOSED) {
                failed(Errors.socketException("recv", res, remote));
            }
        } finally {
            if (bid >= 0) {
                mechanism.buffers.recycle(bid);
            }
        }
        if (last) {
            updateReading();
        }
    }

    /** Bytes the kernel put in a provided buffer: to the user's read, to onData, or into the backlog. */
    private void received(MemorySegment data) {
        if (state != OPEN) {
            return; // this side is closing: what the peer still sends is read and dropped, as a close drains it
        }
        long length = data.byteSize();
        long offset = 0;
        if (userReadHandler != null) {
            long n = copyToUserRead(data, 0, length);
            if (n < 0) {
                return;
            }
            userReadCompleted(n);
            offset = n;
            if (offset == length || state != OPEN) {
                return;
            }
        }
        if (backlogEmpty() && !readingPaused && handler != null && userReadHandler == null) {
            deliver(offset == 0 ? data : data.asSlice(offset));
        } else {
            if (backlog == null) {
                backlog = new InputBacklog();
            }
            backlog.append(data, offset, length - offset);
        }
    }

    private void endOfStreamCame() {
        if (state == CLOSED || endOfStream) {
            return;
        }
        if (backlogEmpty() && (userReadHandler != null || state != OPEN || !readingPaused && handler != null)) {
            endOfStreamReached();
        } else {
            endOfStreamPending = true;
        }
    }

    // ---- writing ----------------------------------------------------------------------------------

    @Override
    protected boolean waitingForWritable() {
        return sendPrepared != NONE || sendInKernel != NONE;
    }

    @Override
    protected void flushOutput() {
        if (sendPrepared != NONE || sendInKernel != NONE) {
            return; // the send in the kernel goes on with the rest when it completes
        }
        while (!queue.isEmpty() && state != CLOSED) {
            boolean prepared = switch (queue.head()) {
                case BUFFERS -> prepareBuffers();
                case FILE -> prepareFile(queue.headFile());
                case SHUTDOWN -> {
                    int r = engine.syscalls.shutdown(fd, Sockets.SHUT_WR);
                    if (r < 0 && r != -Errno.ENOTCONN) {
                        failed(Errors.socketException("shutdown", r, remote));
                        yield true;
                    }
                    outputShut = true;
                    queue.completeHead(this);
                    yield false;
                }
            };
            if (prepared) {
                return;
            }
        }
    }

    /** Gathers the buffers at the head of the queue into the next send; false when there was nothing to send. */
    private boolean prepareBuffers() {
        SendBlocks.Block gathering = mechanism.sendBlocks.take();
        int count = queue.gather(gathering.iovecs, SendBlocks.IOVECS);
        if (count == 0) {
            mechanism.sendBlocks.give(gathering);
            queue.consumed(0, this);
            return false;
        }
        if (!queue.gatheredAlive()) {
            mechanism.sendBlocks.give(gathering);
            finish(new IllegalStateException("the arena of a buffer queued for writing to " + remote
                    + " was closed before the write completed; the connection is reset, since its byte "
                    + "stream can no longer be what was queued"), true);
            return true;
        }
        sendFlags = queue.moreAfterGathered() ? Sockets.MSG_MORE : 0;
        if (count == 1) {
            sendAddress = gathering.iovecs.get(JAVA_LONG, Msghdr.IOVEC_BASE);
            sendLength = (int) gathering.iovecs.get(JAVA_LONG, Msghdr.IOVEC_LENGTH);
            mechanism.sendBlocks.give(gathering);
            sendPrepared = SEND;
        } else {
            gathering.count(count);
            block = gathering;
            sendPrepared = SEND_MSG;
        }
        mechanism.schedule(this);
        return true;
    }

    /** The next step of the file range at the head; false when the range is done and the queue moves on. */
    private boolean prepareFile(FileSend send) {
        Throwable failure = send.takeReadFailure();
        if (failure != null) {
            finish(failure, true);
            return true;
        }
        boolean more = queue.size() > 1;
        if (send.bufferedLength() > 0) {
            sendAddress = send.bufferedAddress();
            sendLength = (int) Math.min(send.bufferedLength(), Integer.MAX_VALUE);
            sendFlags = more || send.remaining() > sendLength ? Sockets.MSG_MORE : 0;
            sendPrepared = SEND_FILE_BUFFER;
            mechanism.schedule(this);
            return true;
        }
        if (pipeBytes > 0) {
            sendLength = pipeBytes;
            sendFlags = more || send.remaining() > 0 ? SPLICE_F_MORE : 0;
            sendPrepared = SPLICE_TO_SOCKET;
            mechanism.schedule(this);
            return true;
        }
        if (send.remaining() == 0) {
            givePipeBack();
            queue.completeHead(this);
            return false;
        }
        if (send.isReading()) {
            return true; // the file read completes and flushes again
        }
        if (send.isDirect()) {
            send.startRead(); // splice(2) cannot read an O_DIRECT file at any offset: its backend reads it aligned
            return true;
        }
        if (pipe == null) {
            try {
                pipe = mechanism.pipes.take();
            } catch (IOException e) {
                finish(e, true);
                return true;
            }
        }
        sendLength = (int) Math.min(send.remaining(), pipe.capacity());
        sendPrepared = SPLICE_TO_PIPE;
        mechanism.schedule(this);
        return true;
    }

    private void sendCompleted(int operation, int res) {
        sendInKernel = NONE;
        if (block != null) {
            mechanism.sendBlocks.give(block);
            block = null;
        }
        if (state == CLOSED) {
            if (res > 0 && (operation == SEND || operation == SEND_MSG) && queue != null) {
                queue.consumed(res, this); // what did leave completes; the rest fails once all is back
            }
            if (res > 0 && operation == SPLICE_TO_PIPE) {
                pipeBytes += res;
            } else if (res > 0 && operation == SPLICE_TO_SOCKET) {
                pipeBytes -= res;
            }
            return;
        }
        if (res < 0) {
            if (operation == SPLICE_TO_PIPE) {
                // the file failed: what follows in the byte stream can no longer be what was queued
                finish(Errors.ioException("splice", res, queue.headFile().describe()), true);
            } else {
                failed(Errors.socketException(operation == SPLICE_TO_SOCKET ? "splice" : "sendmsg", res, remote));
            }
            return;
        }
        switch (operation) {
            case SEND, SEND_MSG -> queue.consumed(res, this);
            case SEND_FILE_BUFFER -> {
                queue.headFile().sentFromBuffer(res);
                queue.fileProgress(res);
            }
            case SPLICE_TO_PIPE -> {
                if (res == 0) {
                    finish(queue.headFile().endOfFile(), true);
                    return;
                }
                pipeBytes += res;
                queue.headFile().sentByKernel(res);
            }
            case SPLICE_TO_SOCKET -> {
                pipeBytes -= res;
                queue.fileProgress(res);
            }
            default -> throw new IllegalStateException("not a send: " + operation);
        }
        writableAgain(); // sends the rest and what was queued since; watermarks; a close that waited for it
    }

    private void givePipeBack() {
        if (pipe != null) {
            if (pipeBytes == 0) {
                mechanism.pipes.give(pipe);
            } else {
                mechanism.pipes.close(pipe);
            }
            pipe = null;
            pipeBytes = 0;
        }
    }

    // ---- the ring --------------------------------------------------------------------------------

    @Override
    public boolean fill(LoopRing.Submission submission) {
        MemorySegment sqes = submission.entries();
        if (state == CLOSED) {
            if (cancelAllWanted) {
                long sqe = mechanism.entry(submission, slot, CANCEL);
                if (sqe < 0) {
                    return false;
                }
                SocketEntries.cancelAll(sqes, sqe, fd);
                cancelAllWanted = false;
            }
            return true;
        }
        if (connectWanted) {
            long sqe = mechanism.entry(submission, slot, CONNECT);
            if (sqe < 0) {
                return false;
            }
            SocketEntries.connect(sqes, sqe, fd, connectAddress.address(), connectAddressLength);
            connectUserData = mechanism.lastUserData();
            connectWanted = false;
            connectInKernel = true;
        }
        if (connectCancelWanted) {
            if (connectInKernel) {
                long sqe = mechanism.entry(submission, slot, CANCEL);
                if (sqe < 0) {
                    return false;
                }
                SocketEntries.cancel(sqes, sqe, connectUserData);
            }
            connectCancelWanted = false;
        }
        if (recvCancelWanted) {
            if (recv != NONE && !recvCancelled) {
                long sqe = mechanism.entry(submission, slot, CANCEL);
                if (sqe < 0) {
                    return false;
                }
                SocketEntries.cancel(sqes, sqe, recvUserData);
                recvCancelled = true;
            }
            recvCancelWanted = false;
        }
        if (recvWanted) {
            if (recv == NONE) {
                long sqe = mechanism.entry(submission, slot, RECV_MULTISHOT);
                if (sqe < 0) {
                    return false;
                }
                SocketEntries.recvMultishot(sqes, sqe, fd, mechanism.buffers.groupId());
                recvUserData = mechanism.lastUserData();
                recv = RECV_MULTISHOT;
            }
            recvWanted = false;
        }
        if (userRecvWanted) {
            if (recv == NONE && userReadHandler != null) {
                if (!fillUserRecv(submission)) {
                    return false;
                }
            }
            userRecvWanted = false;
        }
        if (sendPrepared != NONE) {
            if (!fillSend(submission)) {
                return false;
            }
        }
        return true;
    }

    private boolean fillUserRecv(LoopRing.Submission submission) {
        MemorySegment dst = userRead;
        boolean direct;
        try {
            direct = KernelMemory.canHold(dst);
        } catch (IllegalStateException closedOrConfined) {
            direct = false;
        }
        long sqe = mechanism.entry(submission, slot, RECV);
        if (sqe < 0) {
            return false;
        }
        int length = (int) Math.min(dst.byteSize(), Integer.MAX_VALUE);
        if (direct) {
            SocketEntries.recv(submission.entries(), sqe, fd, dst.address(), length);
        } else {
            SocketEntries.recvIntoGroup(submission.entries(), sqe, fd, Math.min(length, mechanism.buffers.bufferSize()),
                    mechanism.buffers.groupId());
        }
        recvUserData = mechanism.lastUserData();
        recv = RECV;
        return true;
    }

    private boolean fillSend(LoopRing.Submission submission) {
        long sqe = mechanism.entry(submission, slot, sendPrepared);
        if (sqe < 0) {
            return false;
        }
        MemorySegment sqes = submission.entries();
        switch (sendPrepared) {
            case SEND, SEND_FILE_BUFFER -> SocketEntries.send(sqes, sqe, fd, sendAddress, sendLength, sendFlags);
            case SEND_MSG -> SocketEntries.sendmsg(sqes, sqe, fd, block.msghdrAddress(), sendFlags);
            case SPLICE_TO_PIPE -> {
                FileSend send = queue.headFile();
                SocketEntries.splice(sqes, sqe, send.fileFd(), send.position(), pipe.writeFd(), sendLength, 0);
            }
            case SPLICE_TO_SOCKET -> SocketEntries.splice(sqes, sqe, pipe.readFd(), -1, fd, sendLength, sendFlags);
            default -> throw new IllegalStateException("not a send: " + sendPrepared);
        }
        sendInKernel = sendPrepared;
        sendPrepared = NONE;
        return true;
    }

    @Override
    public void complete(int operation, int res, int flags) {
        switch (operation) {
            case RECV_MULTISHOT, RECV -> recvCompleted(operation, res, flags);
            case SEND, SEND_MSG, SEND_FILE_BUFFER, SPLICE_TO_PIPE, SPLICE_TO_SOCKET -> sendCompleted(operation, res);
            case CONNECT -> connectCompleted(res);
            case CANCEL -> {
                // a cancel's own result: what it cancelled completes with -ECANCELED
            }
            default -> throw new IllegalStateException("unknown operation " + operation);
        }
        if (state == CLOSED && !isReleased() && mechanism.inFlight(slot) == 0) {
            releaseNow();
            released();
        }
    }

    // ---- closing ----------------------------------------------------------------------------------

    @Override
    protected boolean release(boolean reset) {
        cancelConnectTimer();
        resetOnRelease = reset;
        if (reset) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment linger = arena.allocate(SocketOptionNumbers.LINGER_SIZE, 4);
                linger.set(JAVA_INT, SocketOptionNumbers.LINGER_ONOFF, 1);
                linger.set(JAVA_INT, SocketOptionNumbers.LINGER_SECONDS, 0);
                engine.syscalls.setsockopt(fd, SocketOptionNumbers.SOL_SOCKET, SocketOptionNumbers.SO_LINGER, linger,
                        SocketOptionNumbers.LINGER_SIZE);
            }
        }
        if (sendPrepared == SEND_MSG && block != null) {
            mechanism.sendBlocks.give(block);
            block = null;
        }
        sendPrepared = NONE;
        recvWanted = userRecvWanted = recvCancelWanted = connectWanted = connectCancelWanted = false;
        if (mechanism.inFlight(slot) == 0) {
            releaseNow();
            return true;
        }
        cancelAllWanted = true;
        mechanism.schedule(this);
        return false;
    }

    /** Nothing of this connection's is in the kernel any more. */
    private void releaseNow() {
        if (!resetOnRelease) {
            drainInput();
        }
        if (backlog != null) {
            backlog.clear();
        }
        givePipeBack();
        mechanism.detach(slot);
    }

    @Override
    protected void abandon() {
        if (pipe != null) {
            mechanism.pipes.close(pipe);
            pipe = null;
        }
        mechanism.abandon(slot, new Object[] {queue == null ? null : queue.heldMemory(), block, userRead});
    }

    /**
     * Reads and drops what the peer sent and nobody read, so that closing does not answer it with a
     * reset (tcp_close sends RST when unread data is queued), which could destroy our last bytes in flight.
     */
    private void drainInput() {
        long buffer = engine.readBuffer().address();
        for (long drained = 0; drained < DRAIN_LIMIT; ) {
            long n = engine.syscalls.recv(fd, buffer, engine.readBuffer().size(), Sockets.MSG_DONTWAIT);
            if (n <= 0) {
                return;
            }
            drained += n;
        }
    }
}
