package io.fdloop.internal.channel;

import io.fdloop.file.AlignedBuffers;
import io.fdloop.file.AsyncFile;
import io.fdloop.file.IoHandler;
import io.fdloop.internal.file.OpenFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * <b>Thread-safe: any thread; completion handlers run on the channel's executor, or on the file's
 * loop thread when it was opened without one.</b> An {@link AsynchronousFileChannel} over an
 * {@link AsyncFile}, made by {@code FdloopFileChannel}, whose Javadoc lists where it differs from
 * the JDK's. The checks a JDK channel makes before starting an operation are made here in the same
 * order, and throw the same exceptions.
 */
final class FdloopAsyncChannel extends AsynchronousFileChannel {
    private static final FutureHandler<Integer> IO_FUTURE = new FutureHandler<>();
    private static final FutureHandler<FileLock> LOCK_FUTURE = new FutureHandler<>();

    private final OpenFile file;
    private final HandlerThreads handlers;
    private final ChannelLocks locks;
    private volatile boolean closed;

    FdloopAsyncChannel(OpenFile file, HandlerThreads handlers) {
        this.file = file;
        this.handlers = handlers;
        this.locks = new ChannelLocks(this, file, handlers);
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return file.size();
    }

    @Override
    public AsynchronousFileChannel truncate(long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("Negative size");
        }
        if (!file.writable()) {
            throw new NonWritableChannelException();
        }
        ensureOpen();
        if (size < file.size()) {
            file.truncate(size);
        }
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        ensureOpen();
        file.blocking().sync(metaData);
    }

    @Override
    public boolean isOpen() {
        return !closed && file.isOpen();
    }

    /**
     * Releases this channel's locks, fails the lock attempts still waiting, and closes the file once
     * the reads and writes in flight have completed (with their results, or cancelled with
     * {@link AsynchronousCloseException}). From another thread this waits for them; from the loop
     * thread it returns at once. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        locks.close();
        file.close();
    }

    @Override
    public String toString() {
        return "FdloopAsyncChannel[" + file + "]";
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    // ---- reading and writing --------------------------------------------------------------

    @Override
    public Future<Integer> read(ByteBuffer dst, long position) {
        CompletableFuture<Integer> future = new CompletableFuture<>();
        startRead(dst, position, future, IO_FUTURE);
        return future;
    }

    @Override
    public <A> void read(ByteBuffer dst, long position, A attachment, CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        startRead(dst, position, attachment, handler);
    }

    @Override
    public Future<Integer> write(ByteBuffer src, long position) {
        CompletableFuture<Integer> future = new CompletableFuture<>();
        startWrite(src, position, future, IO_FUTURE);
        return future;
    }

    @Override
    public <A> void write(ByteBuffer src, long position, A attachment, CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        startWrite(src, position, attachment, handler);
    }

    private <A> void startRead(ByteBuffer dst, long position, A attachment, CompletionHandler<Integer, ? super A> handler) {
        if (position < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        if (!file.readable()) {
            throw new NonReadableChannelException();
        }
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        if (!isOpen() || !dst.hasRemaining()) {
            deliver(handler, attachment, 0, !isOpen() ? new ClosedChannelException() : null);
            return;
        }
        new Transfer<>(true, dst, attachment, handler).start(position);
    }

    private <A> void startWrite(ByteBuffer src, long position, A attachment, CompletionHandler<Integer, ? super A> handler) {
        if (position < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        if (!file.writable()) {
            throw new NonWritableChannelException();
        }
        if (!isOpen() || !src.hasRemaining()) {
            deliver(handler, attachment, 0, !isOpen() ? new ClosedChannelException() : null);
            return;
        }
        new Transfer<>(false, src, attachment, handler).start(position);
    }

    /** A result the channel knows without the kernel, delivered as a completion would be. */
    private <V, A> void deliver(CompletionHandler<V, ? super A> handler, A attachment, V result, Throwable error) {
        if (error == null) {
            handlers.completed(handler, attachment, result);
        } else {
            handlers.failed(handler, attachment, error);
        }
    }

    /** One read or write: the buffer the kernel uses, and what to do with the caller's on completion. */
    private final class Transfer<A> implements IoHandler<Void> {
        private final boolean read;
        private final ByteBuffer user;
        private final ByteBuffer kernel; // user itself, a slice of it, or a direct copy of a heap buffer
        private final boolean copied;
        private final A attachment;
        private final CompletionHandler<Integer, ? super A> handler;

        Transfer(boolean read, ByteBuffer user, A attachment, CompletionHandler<Integer, ? super A> handler) {
            this.read = read;
            this.user = user;
            this.attachment = attachment;
            this.handler = handler;
            // A shorter transfer than asked is a legal result; one Linux refuses is not.
            int length = Math.min(user.remaining(), AsyncFile.MAX_TRANSFER);
            copied = !user.isDirect();
            if (copied) {
                kernel = file.isDirect()
                        ? AlignedBuffers.allocateDirect(length, file.directAlignment().memory())
                        : ByteBuffer.allocateDirect(length);
                if (!read) {
                    kernel.put(0, user, user.position(), length);
                }
            } else {
                kernel = length < user.remaining() ? user.slice(user.position(), length) : user;
            }
        }

        void start(long position) {
            if (read) {
                file.read(kernel, position, null, this);
            } else {
                file.write(kernel, position, null, this);
            }
        }

        @Override
        public void completed(int result, Void unused) {
            if (read && result == 0) {
                handlers.completed(handler, attachment, -1); // at or past the end of the file, as the JDK reports it
                return;
            }
            if (kernel != user) {
                if (read && copied) {
                    user.put(user.position(), kernel, 0, result);
                }
                user.position(user.position() + result);
            }
            handlers.completed(handler, attachment, result);
        }

        @Override
        public void failed(Throwable error, Void unused) {
            if (error instanceof ClosedChannelException && !(error instanceof AsynchronousCloseException)) {
                // begun while the channel was open, so closed asynchronously, as the JDK words it
                AsynchronousCloseException closedMeanwhile = new AsynchronousCloseException();
                closedMeanwhile.initCause(error);
                error = closedMeanwhile;
            }
            handlers.failed(handler, attachment, error);
        }
    }

    // ---- locking --------------------------------------------------------------------------

    @Override
    public Future<FileLock> lock(long position, long size, boolean shared) {
        CompletableFuture<FileLock> future = new CompletableFuture<>();
        startLock(position, size, shared, future, LOCK_FUTURE);
        return future;
    }

    @Override
    public <A> void lock(long position, long size, boolean shared, A attachment,
                         CompletionHandler<FileLock, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        startLock(position, size, shared, attachment, handler);
    }

    private <A> void startLock(long position, long size, boolean shared, A attachment,
                               CompletionHandler<FileLock, ? super A> handler) {
        checkLockMode(shared);
        locks.lock(position, size, shared, attachment, handler);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        checkLockMode(shared);
        return locks.tryLock(position, size, shared);
    }

    private void checkLockMode(boolean shared) {
        if (shared && !file.readable()) {
            throw new NonReadableChannelException();
        }
        if (!shared && !file.writable()) {
            throw new NonWritableChannelException();
        }
    }

    /** Completes the {@link CompletableFuture} passed as attachment; the Future forms on top of the handler forms. */
    private static final class FutureHandler<V> implements CompletionHandler<V, CompletableFuture<V>> {
        @Override
        public void completed(V result, CompletableFuture<V> future) {
            if (!future.complete(result) && result instanceof FileLock lock) {
                // granted after the caller cancelled the future: nobody owns the lock, give it back
                try {
                    lock.release();
                } catch (IOException e) {
                    // the channel closed meanwhile, and the lock went with it
                }
            }
        }

        @Override
        public void failed(Throwable error, CompletableFuture<V> future) {
            future.completeExceptionally(error);
        }
    }
}
