package io.fdloop.net;

import io.fdloop.EventLoop;
import io.fdloop.file.AsyncFile;
import io.fdloop.internal.net.ConnectCompletion;
import io.fdloop.internal.net.NetConnection;
import io.fdloop.internal.net.NetEngine;
import io.fdloop.internal.net.SocketConfig;
import io.fdloop.internal.net.SocketOptionCodec;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * A stream socket (TCP over IPv4 or IPv6, or Unix-domain) on an {@link EventLoop}: accepted by a
 * {@link Listener} or made by {@link #connect}. Its {@link ConnectionHandler} hears what arrives;
 * writes are queued and leave together: on {@link NetMechanism#EPOLL} what {@code onData} queued in one
 * {@code sendmsg} as soon as the read is handled, what is queued elsewhere at the loop's flush step; on
 * {@link NetMechanism#URING} as one send of the loop's io_uring, in the ring's single
 * {@code io_uring_enter} of the iteration.
 *
 * <p><b>Thread-safe</b>: every method may be called from any thread unless it says "loop thread
 * only". Called on the loop thread, an operation is queued at once; from another thread it hops onto the
 * loop first (through {@code execute}, which runs it or, once the loop is closing, refuses it: the
 * operation then fails at once). Completions and callbacks run on the loop thread.
 *
 * <p><b>Writing.</b> {@link #write(MemorySegment)} sends the caller's buffer in place: the buffer is the
 * connection's until the write completes (keep its arena open and its bytes unchanged until then), and it
 * must be native memory (a native {@code MemorySegment} or a direct {@code ByteBuffer}).
 * {@link #writeCopy(MemorySegment)} copies the bytes into pooled memory the connection owns, so the caller
 * may reuse its buffer at once (any memory, heap too): the form for small messages, and for echoing the
 * view {@code onData} received. Bytes leave in the order they were queued, whichever form queued them.
 * The bytes queued and not yet sent count against the connection's high watermark
 * ({@link NetOptions#WRITE_HIGH_WATER_MARK}, default 64 KiB): past it {@link #isWritable()} is false and
 * {@link ConnectionHandler#onWritabilityChanged} is told, and again when the queue drains below the low
 * watermark, so a producer can pace itself and never fill the heap.
 *
 * <p><b>Closing.</b> {@link #close()} is graceful: what is queued is sent, then the connection closes
 * (FIN), within {@code SO_LINGER} seconds when set, else 30 s, after which it is reset and what is still
 * queued fails with {@link java.nio.channels.InterruptedByTimeoutException}. {@link #abort()} resets at once
 * (RST) and fails what is queued with {@link java.nio.channels.AsynchronousCloseException}. A peer's reset
 * or a broken pipe ends the connection: every pending write fails with the same
 * {@link java.net.SocketException} (naming the peer), and {@code onClosed} gets it once. Closing the loop
 * closes its connections gracefully, within 5 s.
 */
public final class Connection {
    static final Function<NetConnection, Connection> HANDLES = Connection::new;

    private final NetConnection core;

    private Connection(NetConnection core) {
        this.core = core;
    }

    /**
     * Connects to {@code remote} on {@code loop} with default settings (30 s timeout, TCP_NODELAY on); the
     * future completes on the loop thread once connected, or fails with {@link java.net.ConnectException}
     * (refused), {@link java.net.SocketTimeoutException} (timed out), {@link java.net.NoRouteToHostException}
     * (unreachable). Any thread.
     *
     * @param loop the event loop that serves it
     * @param remote the address to connect to
     * @param handler hears the new connection's events
     * @return a future completed with the connection once it is connected
     */
    public static CompletableFuture<Connection> connect(EventLoop loop, SocketAddress remote, ConnectionHandler handler) {
        return builder().connect(loop, remote, handler);
    }

    /**
     * Settings for outgoing connections; a builder may be kept and used for many connects.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The loop whose thread serves this connection. Any thread.
     *
     * @return the loop
     */
    public EventLoop loop() {
        return core.engine.loop;
    }

    /**
     * The address of the peer. Any thread.
     *
     * @return the peer's address
     */
    public SocketAddress remoteAddress() {
        return core.remoteAddress();
    }

    /**
     * The address this side is bound to. Any thread.
     *
     * @return the bound address
     */
    public SocketAddress localAddress() {
        return core.localAddress();
    }

    /**
     * Which mechanism serves this connection: {@code "epoll"} or {@code "uring"}. Any thread.
     *
     * @return the mechanism's name
     */
    public String mechanism() {
        return core.mechanismName();
    }

    /**
     * Whether the connection is open (not closing or closed). Any thread.
     *
     * @return whether it is open
     */
    public boolean isOpen() {
        return core.isOpen();
    }

    /**
     * Whether the bytes queued are below the high watermark (see the class comment). Any thread.
     *
     * @return whether it is below the high watermark
     */
    public boolean isWritable() {
        return core.isWritable();
    }

    /**
     * Bytes queued for writing and not yet handed to the kernel, as of the last change on the loop. Any thread.
     *
     * @return the bytes queued
     */
    public long pendingWriteBytes() {
        return core.pendingWriteBytes();
    }

    // ---- writing ------------------------------------------------------------------------------

    /**
     * Queues {@code src} to be sent in place (zero copy); completes with its length once every byte is in the
     * kernel. A zero-length write ({@code MemorySegment.NULL}) is a marker: it completes once everything queued
     * before it is in the kernel, and sends nothing. Refused at once (the future fails) when {@code src} is a heap segment or its arena is closed,
     * or the connection is closing or closed. Any thread.
     *
     * @param src the bytes to send
     * @return a future completed with the bytes written
     */
    public CompletableFuture<Long> write(MemorySegment src) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        core.write(Objects.requireNonNull(src, "src"), future, Futures.LONG);
        return future;
    }

    /**
     * Queues {@code src}'s remaining bytes (a direct buffer) to be sent in place; its position advances when
     * they are sent. Each call wraps the buffer in a small segment object; the {@code MemorySegment} forms
     * allocate nothing. Any thread.
     *
     * @param src the bytes to send
     * @return a future completed with the bytes written
     */
    public CompletableFuture<Long> write(ByteBuffer src) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        core.write(Objects.requireNonNull(src, "src"), future, Futures.LONG);
        return future;
    }

    /**
     * The callback form of {@link #write(MemorySegment)}: on the loop thread with a reused handler it
     * allocates nothing. Any thread.
     *
     * @param <A> the attachment's type
     * @param src the bytes to send
     * @param attachment passed to the handler as it is
     * @param handler told when the operation completes or fails
     */
    public <A> void write(MemorySegment src, A attachment, TransferHandler<? super A> handler) {
        core.write(Objects.requireNonNull(src, "src"), attachment, Objects.requireNonNull(handler, "handler"));
    }

    /**
     * The callback form of {@link #write(ByteBuffer)}. Any thread.
     *
     * @param <A> the attachment's type
     * @param src the bytes to send
     * @param attachment passed to the handler as it is
     * @param handler told when the operation completes or fails
     */
    public <A> void write(ByteBuffer src, A attachment, TransferHandler<? super A> handler) {
        core.write(Objects.requireNonNull(src, "src"), attachment, Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Copies {@code src} (any memory, heap too) into memory the connection owns and queues it: the caller
     * may reuse {@code src} as soon as this returns. No completion: a failure to send ends the connection
     * and reaches {@code onClosed}. On the loop thread nothing is allocated per call. Any thread.
     *
     * @throws IllegalStateException when the connection is closing or closed, or its output was shut down
     *
     * @param src the bytes to send
     */
    public void writeCopy(MemorySegment src) {
        core.writeCopy(Objects.requireNonNull(src, "src"), 0, src.byteSize());
    }

    /**
     * Copies {@code src}'s remaining bytes and queues them; its position moves to its limit. Any thread.
     *
     * @param src the bytes to send
     */
    public void writeCopy(ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        core.writeCopy(MemorySegment.ofBuffer(src), 0, src.remaining());
        src.position(src.limit());
    }

    /**
     * Copies {@code length} bytes of {@code bytes} from {@code offset} and queues them. Any thread.
     *
     * @param bytes the bytes to copy
     * @param offset where in {@code bytes} to start
     * @param length how many bytes
     */
    public void writeCopy(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        core.writeCopy(MemorySegment.ofArray(bytes), offset, length);
    }

    /**
     * Copies {@code bytes} and queues them. Any thread.
     *
     * @param bytes the bytes to copy
     */
    public void writeCopy(byte[] bytes) {
        writeCopy(bytes, 0, bytes.length);
    }

    /**
     * Queues {@code count} bytes of {@code file} from {@code position}, sent without copying them through
     * Java and without ever blocking the loop on the disk; completes with {@code count} once every byte is
     * in the kernel. {@code file} must be open on this connection's loop. The path taken depends on the
     * connection's mechanism ({@link #mechanism()}). On io_uring:
     * <ul>
     *   <li>a buffered file is spliced by the kernel, file to a pipe of the loop's and pipe to socket
     *       ({@code IORING_OP_SPLICE}, up to 1 MiB per step), on the kernel's own worker threads, so a range
     *       that is not in the page cache is read from the disk there and never by the loop thread;</li>
     *   <li>an {@code O_DIRECT} file (which splice cannot read at unaligned offsets) is read as on epoll,
     *       below, and sent from the loop buffer.</li>
     * </ul>
     * On epoll, per part of the range:
     * <ul>
     *   <li>an {@code O_DIRECT} file is always read asynchronously through its own backend (Linux AIO or
     *       io_uring), in aligned blocks covering the range, into a loop buffer, and sent from there;</li>
     *   <li>a buffered file's range that {@code cachestat(2)} (Linux 6.5) finds wholly in the page cache goes
     *       by {@code sendfile(2)} on the loop thread, zero copy, up to 1 MiB per call;</li>
     *   <li>a range that is not wholly cached is read asynchronously through the file's backend (io_uring or
     *       the thread pool) into a loop buffer, 128 KiB at a time, and sent from there;</li>
     *   <li>on kernels without cachestat, {@code preadv2(RWF_NOWAIT)} copies the cached prefix of the range
     *       without waiting for the disk, and only the rest is read asynchronously.</li>
     * </ul>
     * Bytes queued before it and not yet sent go out with {@code MSG_MORE}, so headers and the file's first
     * bytes share segments. A file that ends before {@code position + count} fails the send with an
     * {@link java.io.EOFException} and resets the connection (its byte stream can no longer be what was
     * queued). Any thread.
     *
     * @param file a file open on this connection's loop
     * @param position the file offset of the first byte
     * @param count how many bytes
     * @return a future completed with {@code count}
     */
    public CompletableFuture<Long> sendFile(AsyncFile file, long position, long count) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        core.sendFile(Objects.requireNonNull(file, "file"), position, count, future, Futures.LONG);
        return future;
    }

    /**
     * The callback form of {@link #sendFile(AsyncFile, long, long)}. Any thread.
     *
     * @param <A> the attachment's type
     * @param file a file open on this connection's loop
     * @param position the file offset of the first byte
     * @param count how many bytes
     * @param attachment passed to the handler as it is
     * @param handler told when the operation completes or fails
     */
    public <A> void sendFile(AsyncFile file, long position, long count, A attachment, TransferHandler<? super A> handler) {
        core.sendFile(Objects.requireNonNull(file, "file"), position, count, attachment,
                Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Holds queued writes back until {@link #uncork()}, so that writes made across several callbacks leave
     * together in one {@code sendmsg} (as full segments). The watermarks still apply. Loop thread only.
     */
    public void cork() {
        core.cork();
    }

    /** Releases what {@link #cork()} held back; it leaves at the next flush step. Loop thread only. */
    public void uncork() {
        core.uncork();
    }

    /**
     * Sends FIN once what is queued before it has been sent: the peer sees end of stream; this side can still
     * read. Writes after it fail. Any thread.
     */
    public void shutdownOutput() {
        core.shutdownOutput();
    }

    // ---- reading ------------------------------------------------------------------------------

    /**
     * Reads the next bytes into {@code dst} instead of {@code onData}; completes with the bytes read, or -1 at
     * end of stream (then {@code onEndOfStream} is not called). Works while {@code onData} is paused, which
     * makes a pull-style reader: {@link #pauseReading()}, then {@code read} whenever ready. One read at a
     * time ({@link java.nio.channels.ReadPendingException} otherwise). Any thread.
     *
     * @param dst where the bytes go
     * @return a future completed with the bytes read, or -1 at end of stream
     */
    public CompletableFuture<Integer> read(MemorySegment dst) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        core.read(Objects.requireNonNull(dst, "dst"), future, Futures.LONG);
        return future.thenApply(Long::intValue);
    }

    /**
     * The callback form of {@link #read(MemorySegment)}; {@code bytes} is -1 at end of stream. Any thread.
     *
     * @param <A> the attachment's type
     * @param dst where the bytes go
     * @param attachment passed to the handler as it is
     * @param handler told when the operation completes or fails
     */
    public <A> void read(MemorySegment dst, A attachment, TransferHandler<? super A> handler) {
        core.read(Objects.requireNonNull(dst, "dst"), attachment, Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Stops {@code onData}: the loop reads nothing more for the handler (the kernel's buffer fills and TCP
     * slows the peer) until {@link #resumeReading()}. Any thread; takes effect before the next read.
     */
    public void pauseReading() {
        core.pauseReading();
    }

    /** Starts {@code onData} again; what arrived meanwhile is delivered from the next iteration. Any thread. */
    public void resumeReading() {
        core.resumeReading();
    }

    /**
     * Whether {@code onData} is paused. Any thread.
     *
     * @return whether reading is paused
     */
    public boolean isReadingPaused() {
        return core.isReadingPaused();
    }

    // ---- closing ------------------------------------------------------------------------------

    /** Closes gracefully (see the class comment). Idempotent. Any thread. */
    public void close() {
        core.close();
    }

    /** Resets the connection (RST, {@code SO_LINGER} 0) and fails what is queued. Idempotent. Any thread. */
    public void abort() {
        core.abort();
    }

    /**
     * Completes once the connection is closed and its fd released. Any thread.
     *
     * @return a future completed once closed
     */
    public CompletableFuture<Void> closeFuture() {
        return core.closeFuture();
    }

    // ---- options ------------------------------------------------------------------------------

    /**
     * Sets a socket option ({@link java.net.StandardSocketOptions} or {@link NetOptions}). Any thread.
     *
     * @throws IllegalArgumentException      when {@code value} has the wrong type or is out of range
     * @throws UnsupportedOperationException when the option is unknown or does not apply to this socket
     * @throws IOException                   when the kernel refuses it, or the connection is closed
     *
     * @param <T> the option's value type
     * @param option the option
     * @param value its value
     */
    public <T> void setOption(SocketOption<T> option, T value) throws IOException {
        core.setOption(option, value);
    }

    /**
     * The option's current value. Any thread.
     *
     * @param <T> the option's value type
     * @param option the option
     * @return the option's value
     * @throws IOException when the kernel refuses the call
     */
    public <T> T getOption(SocketOption<T> option) throws IOException {
        return option.type().cast(core.getOption(option));
    }

    @Override
    public String toString() {
        return core.toString();
    }

    /**
     * Settings for outgoing connections.
     *
     * <p><b>Not thread-safe</b> while being changed; {@code connect} may be called from any thread.
     */
    public static final class Builder {
        private final Map<SocketOption<?>, Object> options = new LinkedHashMap<>();
        private Duration timeout = Duration.ofSeconds(30);
        private SocketAddress localAddress;
        private NetMechanism mechanism = NetMechanism.fromSystemProperty();

        private Builder() {
        }

        /**
         * How long a connect may take before it fails with {@link java.net.SocketTimeoutException}. Default 30 s.
         *
         * @param connectTimeout the timeout
         * @return this builder
         */
        public Builder timeout(Duration connectTimeout) {
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("the connect timeout must be positive, was " + connectTimeout);
            }
            this.timeout = connectTimeout;
            return this;
        }

        /**
         * The local address to bind before connecting (default: the kernel chooses).
         *
         * @param address the address
         * @return this builder
         */
        public Builder localAddress(SocketAddress address) {
            this.localAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * A socket option for the new connection; see {@link NetOptions}.
         *
         * @param <T> the option's value type
         * @param option the option
         * @param value its value
         * @return this builder
         */
        public <T> Builder option(SocketOption<T> option, T value) {
            options.put(SocketOptionCodec.check(option, value), value);
            return this;
        }

        /**
         * Which mechanism serves the connection; default {@code -Dfdloop.net.mechanism}, else AUTO.
         *
         * @param choice the mechanism
         * @return this builder
         */
        public Builder mechanism(NetMechanism choice) {
            this.mechanism = Objects.requireNonNull(choice, "choice");
            return this;
        }

        /**
         * Connects; see {@link Connection#connect(EventLoop, SocketAddress, ConnectionHandler)}. Any thread.
         *
         * @param loop the event loop that serves it
         * @param remote the address to connect to
         * @param handler hears the new connection's events
         * @return a future completed with the connection once it is connected
         */
        public CompletableFuture<Connection> connect(EventLoop loop, SocketAddress remote, ConnectionHandler handler) {
            CompletableFuture<Connection> future = new CompletableFuture<>();
            connect(loop, remote, handler, future, Futures.CONNECTION);
            return future;
        }

        /**
         * Connects and tells {@code completion} (on the loop thread; or at once on the calling thread when the
         * loop is closed or an argument is wrong). Any thread.
         *
         * @param <A> the attachment's type
         * @param loop the event loop that serves it
         * @param remote the address to connect to
         * @param handler hears the new connection's events
         * @param attachment passed to the handler as it is
         * @param completion told the outcome
         */
        public <A> void connect(EventLoop loop, SocketAddress remote, ConnectionHandler handler, A attachment,
                                CompletionHandler<Connection, ? super A> completion) {
            Objects.requireNonNull(loop, "loop");
            Objects.requireNonNull(remote, "remote");
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(completion, "completion");
            SocketConfig config = new SocketConfig(options, mechanism, HANDLES);
            long timeoutMs = Math.max(1, timeout.toMillis());
            SocketAddress local = localAddress;
            ConnectCompletion done = new ConnectCompletion() {
                @Override
                public void connected(Connection connection) {
                    completion.completed(connection, attachment);
                }

                @Override
                public void failed(Throwable error) {
                    completion.failed(error, attachment);
                }
            };
            NetEngine engine;
            try {
                engine = NetEngine.of(loop);
                Runnable start = () -> {
                    try {
                        engine.mechanism(config.mechanism()).connect(config, remote, local, timeoutMs, handler, done);
                    } catch (java.io.UncheckedIOException e) {
                        done.failed(e.getCause()); // the mechanism asked for cannot run on this loop
                    } catch (RuntimeException e) {
                        done.failed(e);
                    }
                };
                if (loop.inLoop()) {
                    start.run();
                } else {
                    loop.execute(start);
                }
            } catch (RejectedExecutionException e) {
                completion.failed(new java.nio.channels.ClosedChannelException().initCause(e), attachment);
            }
        }
    }
}
