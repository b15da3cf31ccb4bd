package io.fdloop.internal.net;

import io.fdloop.Timer;
import io.fdloop.file.AsyncFile;
import io.fdloop.internal.file.OpenFile;
import io.fdloop.internal.linux.GuardedFd;
import io.fdloop.net.Connection;
import io.fdloop.net.ConnectionHandler;
import io.fdloop.net.TransferHandler;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.ReadPendingException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * One connection's state, whatever the mechanism: the write queue and its watermarks, the read the
 * user asked for, flow control, and the close state machine (open, closing while the queue drains,
 * closed). A mechanism subclass moves the bytes.
 *
 * <p>Every public operation may be called from any thread: off the loop it hops onto the loop through
 * {@code execute}, which either runs it or refuses it (then it fails at once). User callbacks run on
 * the loop thread and never inside the user's own call: writes go out, and closes finish, at the
 * loop's flush step.
 *
 * <p><b>Loop thread only</b> for its state; the public operations say otherwise.
 */
public abstract class NetConnection implements Continuation {
    /** The most one write takes: Linux moves at most this much in one call ({@code MAX_RW_COUNT}). */
    public static final long MAX_WRITE = 0x7fff_f000L;
    protected static final int CONNECTING = 0, OPEN = 1, CLOSING = 2, CLOSED = 3;

    public final NetEngine engine;
    protected final SocketConfig config;
    protected final int fd;
    protected final int family;
    private final GuardedFd guard; // the fd for option calls from other threads, which may race the close
    protected Connection handle;
    protected ConnectionHandler handler;
    protected final SocketAddress remote;
    protected SocketAddress local;
    protected ConnectCompletion connecting; // an outgoing connection's, until it is connected or failed
    protected Timer connectTimer; // bounds the connect
    protected volatile int state;
    protected WriteQueue queue; // made on the first write
    private volatile boolean writable = true;
    private volatile long pendingBytes;
    private int highWaterMark;
    private int lowWaterMark;
    private int lingerSeconds;
    protected boolean corked;
    protected volatile boolean readingPaused;
    protected boolean endOfStream;
    protected boolean outputShut; // shutdown(SHUT_WR) done
    protected boolean outputClosed; // no more writes taken
    private boolean abortRequested;
    private boolean released; // the fd is closed, the queue failed and onClosed told: all is over
    private Throwable finishCause;
    private boolean finishedWhileConnecting;
    private boolean inDirty;
    private boolean inContinuation;
    protected MemorySegment userRead;
    protected TransferHandler<Object> userReadHandler;
    protected Object userReadAttachment;
    private Timer closeTimer;
    private volatile CompletableFuture<Void> closeFuture;
    NetConnection previous; // the engine's list of connections
    NetConnection next;

    protected NetConnection(NetEngine engine, SocketConfig config, int fd, int family, SocketAddress remote, int state) {
        this.engine = engine;
        this.config = config;
        this.fd = fd;
        this.family = family;
        this.guard = new GuardedFd(engine.syscalls, fd);
        this.remote = remote;
        this.state = state;
        this.highWaterMark = config.highWaterMark;
        this.lowWaterMark = config.lowWaterMark;
        this.lingerSeconds = config.lingerSeconds;
        engine.added(this);
    }

    // ---- what a mechanism implements ----------------------------------------------------

    /** Sends what the queue holds, as far as the socket takes it now. */
    protected abstract void flushOutput();

    /** Reads on (the budget ran out, reading resumed, or a read into the user's buffer was asked for). */
    protected abstract void readMore();

    /** Whether output waits for the socket to turn writable (then a flush attempt would be wasted). */
    protected abstract boolean waitingForWritable();

    /**
     * Takes the fd out of the mechanism; {@code reset}: make the close abortive (SO_LINGER 0, RST). Returns
     * true when that is done; false when requests of the mechanism's are still in flight on the fd (io_uring):
     * the mechanism then calls {@link #released()} once the last of them completed, and the fd stays open
     * until then, because the kernel reuses fd numbers at once.
     */
    protected abstract boolean release(boolean reset);

    /**
     * The loop is ending and this connection's requests are still in flight: the mechanism gives them up,
     * keeping the memory they use for good (the kernel may still use it). Only after {@link #release}
     * returned false.
     */
    protected void abandon() {
    }

    /** Which mechanism serves this connection. */
    protected abstract io.fdloop.net.NetMechanism kind();

    /** The acceptor gave the accepted connection its handler. */
    protected abstract void accepted(ConnectionHandler acceptedHandler);

    /** The acceptor refused the connection (or threw): closed without an {@code onClosed}. */
    final void closeUnaccepted(boolean reset) {
        finish(null, reset);
    }

    /**
     * Whether a read into the user's buffer is in the kernel now (then a close must not fail it before the
     * kernel is done with the buffer: the mechanism completes or fails it when the kernel returns it).
     */
    protected boolean userReadInKernel() {
        return false;
    }

    // ---- the public face's operations -----------------------------------------------------

    public Connection handle() {
        return handle;
    }

    public SocketAddress remoteAddress() {
        return remote;
    }

    public SocketAddress localAddress() {
        return local;
    }

    public String mechanismName() {
        return kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean isOpen() {
        return state == OPEN;
    }

    public boolean isWritable() {
        return writable;
    }

    public long pendingWriteBytes() {
        return pendingBytes;
    }

    public boolean isReadingPaused() {
        return readingPaused;
    }

    public <A> void write(MemorySegment src, A attachment, TransferHandler<? super A> handler) {
        if (!engine.host.inLoop()) {
            hop(() -> write(src, attachment, handler), handler, attachment);
            return;
        }
        Throwable refused = refuseWrite();
        if (refused == null) {
            refused = checkSegment(src, "src");
        }
        if (refused != null) {
            fail(handler, refused, attachment);
            return;
        }
        queue().addBuffer(src.address(), src.byteSize(), src, handler, attachment);
        queued();
    }

    public <A> void write(ByteBuffer src, A attachment, TransferHandler<? super A> handler) {
        if (!engine.host.inLoop()) {
            hop(() -> write(src, attachment, handler), handler, attachment);
            return;
        }
        Throwable refused = refuseWrite();
        if (refused == null && !src.isDirect()) {
            refused = new IllegalArgumentException("a zero-copy write takes a direct ByteBuffer or a native "
                    + "MemorySegment (the kernel reads it after the call returns, and the GC may move heap memory); "
                    + "writeCopy takes heap buffers");
        }
        if (refused != null) {
            fail(handler, refused, attachment);
            return;
        }
        MemorySegment segment = MemorySegment.ofBuffer(src);
        queue().addBuffer(segment.address(), segment.byteSize(), src, handler, attachment);
        queued();
    }

    /** Copies {@code length} bytes of {@code src} at {@code offset} (any memory) into pooled memory and queues them. */
    public void writeCopy(MemorySegment src, long offset, long length) {
        if (state != OPEN || outputClosed) {
            throw new IllegalStateException(closedMessage("write to"));
        }
        if (!src.scope().isAlive()) {
            throw new IllegalStateException("the segment's arena is closed: its memory is gone");
        }
        if (!engine.host.inLoop()) {
            byte[] copy = src.asSlice(offset, length).toArray(JAVA_BYTE);
            try {
                engine.host.execute(() -> {
                    if (state == OPEN && !outputClosed) {
                        queue().addCopy(MemorySegment.ofArray(copy), 0, copy.length);
                        queued();
                    }
                });
            } catch (RejectedExecutionException e) {
                throw new IllegalStateException("the event loop " + engine.host.name() + " is closed", e);
            }
            return;
        }
        if (length == 0) {
            return;
        }
        queue().addCopy(src, offset, length);
        queued();
    }

    public <A> void sendFile(AsyncFile file, long position, long count, A attachment,
                             TransferHandler<? super A> handler) {
        if (!engine.host.inLoop()) {
            hop(() -> sendFile(file, position, count, attachment, handler), handler, attachment);
            return;
        }
        Throwable refused = refuseWrite();
        if (refused == null && file.loop() != engine.loop) {
            refused = new IllegalArgumentException("sendFile needs a file opened on this connection's loop ("
                    + engine.host.name() + "), not on " + file.loop().name() + ": its reads complete there");
        }
        if (refused == null && (position < 0 || count < 0)) {
            refused = new IllegalArgumentException("sendFile needs position >= 0 and count >= 0, was position "
                    + position + ", count " + count);
        }
        int fileFd = -1;
        if (refused == null) {
            try {
                fileFd = OpenFile.of(file).acquireFd();
            } catch (ClosedChannelException e) {
                refused = e;
            }
        }
        if (refused != null) {
            fail(handler, refused, attachment);
            return;
        }
        FileSend send = new FileSend(this, file, fileFd, position, count);
        queue().addFile(send, handler, attachment);
        queued();
    }

    public <A> void read(MemorySegment dst, A attachment, TransferHandler<? super A> handler) {
        if (!engine.host.inLoop()) {
            hop(() -> read(dst, attachment, handler), handler, attachment);
            return;
        }
        Throwable refused = state == OPEN ? null : new ClosedChannelException();
        if (refused == null && userReadHandler != null) {
            refused = new ReadPendingException();
        }
        if (refused == null) {
            refused = checkSegment(dst, "dst");
        }
        if (refused == null && dst.isReadOnly()) {
            refused = new IllegalArgumentException("dst is read-only");
        }
        if (refused != null) {
            fail(handler, refused, attachment);
            return;
        }
        userRead = dst;
        @SuppressWarnings("unchecked")
        TransferHandler<Object> h = (TransferHandler<Object>) handler;
        userReadHandler = h;
        userReadAttachment = attachment;
        continueLater();
    }

    public void pauseReading() {
        readingPaused = true;
        // A mechanism with a receive in the kernel (io_uring's multishot) stops it at the next flush step.
        if (engine.host.inLoop()) {
            continueLater();
        } else {
            execute(this::continueLater);
        }
    }

    public void resumeReading() {
        readingPaused = false;
        if (engine.host.inLoop()) {
            continueLater();
        } else {
            execute(this::continueLater);
        }
    }

    public void cork() {
        checkLoopThread("cork");
        corked = true;
    }

    public void uncork() {
        checkLoopThread("uncork");
        if (corked) {
            corked = false;
            if (queue != null && !queue.isEmpty()) {
                markDirty();
            }
        }
    }

    public void shutdownOutput() {
        if (!engine.host.inLoop()) {
            execute(this::shutdownOutput);
            return;
        }
        if (state == OPEN && !outputClosed) {
            outputClosed = true;
            queue().addShutdown();
            markDirty();
        }
    }

    public void close() {
        if (!engine.host.inLoop()) {
            execute(this::close);
            return;
        }
        if (state == OPEN) {
            beginClose(config.closeTimeoutMs());
        }
    }

    public void abort() {
        if (!engine.host.inLoop()) {
            execute(this::abort);
            return;
        }
        if (state == OPEN || state == CLOSING) {
            abortRequested = true;
            markDirty();
        }
    }

    public CompletableFuture<Void> closeFuture() {
        CompletableFuture<Void> future = closeFuture;
        if (future == null) {
            synchronized (this) {
                future = closeFuture;
                if (future == null) {
                    future = new CompletableFuture<>();
                    if (released) {
                        future.complete(null);
                    }
                    closeFuture = future;
                }
            }
        }
        return future;
    }

    public <T> void setOption(SocketOption<T> option, T value) throws IOException {
        SocketOption<?> known = SocketOptionCodec.check(option, value);
        if (known == io.fdloop.net.NetOptions.WRITE_HIGH_WATER_MARK) {
            highWaterMark = (Integer) value;
            return;
        }
        if (known == io.fdloop.net.NetOptions.WRITE_LOW_WATER_MARK) {
            lowWaterMark = (Integer) value;
            return;
        }
        if (known == StandardSocketOptions.SO_LINGER) {
            lingerSeconds = (Integer) value;
        }
        withFd(() -> SocketOptionCodec.set(engine.syscalls, fd, family, known, value));
    }

    public Object getOption(SocketOption<?> option) throws IOException {
        SocketOption<?> known = SocketOptionCodec.known(option);
        if (known == io.fdloop.net.NetOptions.WRITE_HIGH_WATER_MARK) {
            return highWaterMark;
        }
        if (known == io.fdloop.net.NetOptions.WRITE_LOW_WATER_MARK) {
            return lowWaterMark;
        }
        if (known == StandardSocketOptions.SO_LINGER && lingerSeconds > 0) {
            return lingerSeconds;
        }
        Object[] value = new Object[1];
        withFd(() -> value[0] = SocketOptionCodec.get(engine.syscalls, fd, family, known));
        return value[0];
    }

    private interface FdCall {
        void run() throws IOException;
    }

    private void withFd(FdCall call) throws IOException {
        if (!guard.acquire()) {
            throw new ClosedChannelException();
        }
        try {
            call.run();
        } finally {
            guard.release();
        }
    }

    // ---- the engine's side ----------------------------------------------------------------

    /** Called by the engine at the flush step. */
    final void flushStep() {
        inDirty = false;
        if (state == CLOSED) {
            return;
        }
        if (abortRequested) {
            finish(null, true);
            return;
        }
        if (queue != null && !queue.isEmpty() && (!corked || state == CLOSING)) {
            flushOutput();
            if (state == CLOSED) {
                return;
            }
        }
        afterFlush();
    }

    /**
     * The read event's data has been handed to the handler: what it queued in answer leaves now, before the
     * loop turns to the next ready socket, so that the peer can work on it while the loop reads on (the
     * flush step still sends what is queued later in the iteration).
     */
    protected final void flushAfterRead() {
        if (inDirty && state == OPEN && !abortRequested && !corked && queue != null && !queue.isEmpty()) {
            flushOutput();
            if (state != CLOSED) {
                afterFlush();
            }
        }
    }

    private void afterFlush() {
        boolean drained = queue == null || queue.isEmpty();
        pendingBytes = queue == null ? 0 : queue.pendingBytes();
        if (!writable && pendingBytes <= lowWaterMark) {
            writable = true;
            notifyWritability(true);
        }
        if (drained && (state == CLOSING || endOfStream && outputShut && userReadHandler == null)) {
            finish(null, lingerSeconds == 0);
        }
    }

    @Override
    public final void continueWork() {
        inContinuation = false;
        if (state == OPEN || state == CLOSING) {
            readMore();
        }
    }

    /** Reading goes on at the next flush step. */
    protected final void continueLater() {
        if (!inContinuation && state != CLOSED) {
            inContinuation = true;
            engine.continueLater(this);
        }
    }

    /** The connection has output for the next flush step. */
    protected final void markDirty() {
        if (!inDirty && state != CLOSED && (abortRequested || !waitingForWritable())) {
            inDirty = true;
            engine.dirty(this);
        }
    }

    /** The socket turned writable again (or failed): flush now, from the loop's dispatch. */
    protected final void writableAgain() {
        flushStep();
    }

    /** A read of a {@code sendFile} range completed: flush on at the next flush step. */
    final void fileReadDone() {
        requestFlush();
    }

    /** Whether anything is queued for writing. */
    protected final boolean hasOutput() {
        return queue != null && !queue.isEmpty();
    }

    /** The connection stays on the flush list for the next iteration (its budget ran out with more to send). */
    protected final void requestFlush() {
        if (!inDirty && state != CLOSED) {
            inDirty = true;
            engine.dirty(this);
        }
    }

    /** The loop is closing: a connecting socket fails, an open one closes gracefully within the loop's bound. */
    void loopClosing() {
        if (state == CONNECTING) {
            connectFailed(new AsynchronousCloseException());
        } else if (state == OPEN) {
            beginClose(Math.min(config.closeTimeoutMs(), NetEngine.LOOP_CLOSE_FLUSH_MS));
        }
    }

    /** A connect in progress failed: the connection ends, and whoever connected hears why. */
    protected final void connectFailed(Throwable error) {
        cancelConnectTimer();
        ConnectCompletion completion = connecting;
        connecting = null;
        finish(error, false);
        if (completion != null) {
            try {
                completion.failed(error);
            } catch (RuntimeException | Error e) {
                System.getLogger("io.fdloop.net").log(System.Logger.Level.WARNING, "the connect completion for "
                        + remote + " threw", e);
            }
        }
    }

    /**
     * The connect succeeded and the mechanism is set up for the open connection: it opens, and whoever
     * connected hears so.
     */
    protected final void connectSucceeded() {
        cancelConnectTimer();
        state = OPEN;
        handle = config.handleFor(this);
        ConnectCompletion completion = connecting;
        connecting = null;
        try {
            completion.connected(handle);
        } catch (RuntimeException | Error e) {
            System.getLogger("io.fdloop.net").log(System.Logger.Level.WARNING, "the connect completion for "
                    + remote + " threw", e);
        }
    }

    protected final void cancelConnectTimer() {
        if (connectTimer != null) {
            connectTimer.cancel();
            connectTimer = null;
        }
    }

    private void beginClose(long boundMs) {
        state = CLOSING;
        outputClosed = true;
        if (!userReadInKernel()) {
            failUserRead(new AsynchronousCloseException());
        }
        if (lingerSeconds == 0) {
            abortRequested = true;
        } else if (hasOutput() && !engine.isShuttingDown()) {
            closeTimer = engine.loop.schedule(Duration.ofMillis(boundMs), () -> {
                if (state == CLOSING) {
                    finish(new InterruptedByTimeoutException(), true);
                }
            });
        }
        markDirty();
    }

    /**
     * Ends the connection: the fd leaves the mechanism and closes, what is queued fails (with
     * {@code cause}, or {@link AsynchronousCloseException} when this side closed it), then
     * {@code onClosed} runs; the last three wait until the mechanism's requests in flight completed
     * (see {@link #release}). Idempotent.
     */
    protected final void finish(Throwable cause, boolean reset) {
        if (state == CLOSED) {
            return;
        }
        int was = state;
        state = CLOSED;
        if (closeTimer != null) {
            closeTimer.cancel();
            closeTimer = null;
        }
        finishCause = cause;
        finishedWhileConnecting = was == CONNECTING;
        if (release(reset)) {
            released();
        }
    }

    /** Whether {@link #released()} ran: the fd is closed. */
    protected final boolean isReleased() {
        return released;
    }

    /**
     * The mechanism is done with the fd (nothing of its is in flight any more): it closes, what is still
     * queued fails, and {@code onClosed} runs. Once, after {@link #finish}.
     */
    protected final void released() {
        if (released || state != CLOSED) {
            return;
        }
        released = true;
        Throwable cause = finishCause;
        guard.close();
        engine.removed(this);
        Throwable pendingFailure = cause != null ? cause : new AsynchronousCloseException();
        if (queue != null) {
            queue.failAll(pendingFailure, this);
        }
        pendingBytes = 0;
        failUserRead(pendingFailure);
        CompletableFuture<Void> future;
        synchronized (this) {
            future = closeFuture;
        }
        if (future != null) {
            future.complete(null);
        }
        if (!finishedWhileConnecting && handler != null) {
            try {
                handler.onClosed(handle, cause);
            } catch (RuntimeException | Error e) {
                NetEngine.LOG.log(System.Logger.Level.WARNING, "onClosed of a connection to " + remote + " threw", e);
            }
        }
    }

    /**
     * The loop is ending: a connection still waiting for its mechanism's requests gives them up (their
     * memory kept) and is released now.
     */
    final void forceRelease() {
        if (state == CLOSED && !released) {
            abandon();
            released();
        }
    }

    /** An I/O error ended the connection. */
    protected final void failed(Throwable error) {
        finish(error, false);
    }

    protected final void failUserRead(Throwable error) {
        TransferHandler<Object> h = userReadHandler;
        if (h != null) {
            Object attachment = userReadAttachment;
            userRead = null;
            userReadHandler = null;
            userReadAttachment = null;
            deliverFailure(h, error, attachment);
        }
    }

    /** The read into the user's buffer completed with {@code bytes} (-1: end of stream). */
    protected final void userReadCompleted(long bytes) {
        TransferHandler<Object> h = userReadHandler;
        Object attachment = userReadAttachment;
        userRead = null;
        userReadHandler = null;
        userReadAttachment = null;
        deliverCompletion(h, bytes, attachment);
    }

    /** Delivers bytes read to the handler; false when the connection stopped reading meanwhile. */
    protected final boolean deliver(MemorySegment data) {
        try {
            handler.onData(handle, data);
        } catch (RuntimeException | Error e) {
            NetEngine.LOG.log(System.Logger.Level.WARNING, "onData of a connection to " + remote + " threw", e);
        }
        return state == OPEN && !readingPaused && userReadHandler == null;
    }

    /** The peer sent FIN. */
    protected final void endOfStreamReached() {
        endOfStream = true;
        if (userReadHandler != null) {
            userReadCompleted(-1);
            return;
        }
        if (state == OPEN) {
            try {
                handler.onEndOfStream(handle);
            } catch (RuntimeException | Error e) {
                NetEngine.LOG.log(System.Logger.Level.WARNING, "onEndOfStream of a connection to " + remote + " threw", e);
            }
        }
        if (state != CLOSED && outputShut && !hasOutput()) {
            finish(null, false);
        }
    }

    void deliverCompletion(TransferHandler<Object> h, long bytes, Object attachment) {
        try {
            h.completed(bytes, attachment);
        } catch (RuntimeException | Error e) {
            NetEngine.LOG.log(System.Logger.Level.WARNING, "a completion handler of a connection to " + remote + " threw", e);
        }
    }

    void deliverFailure(TransferHandler<Object> h, Throwable error, Object attachment) {
        try {
            h.failed(error, attachment);
        } catch (RuntimeException | Error e) {
            NetEngine.LOG.log(System.Logger.Level.WARNING, "a completion handler of a connection to " + remote + " threw", e);
        }
    }

    private void notifyWritability(boolean nowWritable) {
        if (handler != null) {
            try {
                handler.onWritabilityChanged(handle, nowWritable);
            } catch (RuntimeException | Error e) {
                NetEngine.LOG.log(System.Logger.Level.WARNING, "onWritabilityChanged of a connection to " + remote + " threw", e);
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    protected final WriteQueue queue() {
        if (queue == null) {
            queue = new WriteQueue(engine.copies);
        }
        return queue;
    }

    private void queued() {
        long pending = queue.pendingBytes();
        pendingBytes = pending;
        if (writable && pending > highWaterMark) {
            writable = false;
            notifyWritability(false);
        }
        if (!corked) {
            markDirty();
        }
    }

    private Throwable refuseWrite() {
        if (state != OPEN || outputClosed) {
            ClosedChannelException closed = new ClosedChannelException();
            closed.initCause(new IllegalStateException(closedMessage("write to")));
            return closed;
        }
        return null;
    }

    private String closedMessage(String what) {
        String why = state == OPEN ? "its output was shut down" : state == CLOSING ? "it is closing" : "it is closed";
        return "cannot " + what + " the connection to " + remote + ": " + why;
    }

    private static Throwable checkSegment(MemorySegment segment, String name) {
        if (!segment.isNative()) {
            return new IllegalArgumentException(name + " is a heap segment: the kernel reads it after the call returns "
                    + "and the GC may move heap memory; use a native segment (Arena.allocate), or writeCopy");
        }
        if (!segment.scope().isAlive()) {
            return new IllegalStateException(name + "'s arena is already closed: its memory is gone");
        }
        if (segment.byteSize() > MAX_WRITE) {
            return new IllegalArgumentException("one operation takes at most " + MAX_WRITE + " bytes (Linux's limit), "
                    + name + " has " + segment.byteSize() + ": split it");
        }
        return null;
    }

    private void checkLoopThread(String method) {
        if (!engine.host.inLoop()) {
            throw new IllegalStateException(method + "() must be called on the loop thread of " + engine.host.name()
                    + " (in a handler or a task the loop runs), not on " + Thread.currentThread().getName());
        }
    }

    private void execute(Runnable task) {
        try {
            engine.host.execute(task);
        } catch (RejectedExecutionException closed) {
            // the closing loop closes this connection itself
        }
    }

    private <A> void hop(Runnable task, TransferHandler<? super A> handler, A attachment) {
        try {
            engine.host.execute(task);
        } catch (RejectedExecutionException e) {
            ClosedChannelException closed = new ClosedChannelException();
            closed.initCause(new RejectedExecutionException("the event loop " + engine.host.name() + " is closed"));
            fail(handler, closed, attachment);
        }
    }

    private static <A> void fail(TransferHandler<? super A> handler, Throwable error, A attachment) {
        try {
            handler.failed(error, attachment);
        } catch (RuntimeException | Error e) {
            NetEngine.LOG.log(System.Logger.Level.WARNING, "a completion handler threw", e);
        }
    }

    @Override
    public String toString() {
        String[] names = {"connecting", "open", "closing", "closed"};
        return "Connection[" + local + " -> " + remote + ", " + names[state] + "]";
    }
}
