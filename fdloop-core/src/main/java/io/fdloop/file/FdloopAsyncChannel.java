package io.fdloop.file;

import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.Errors;
import io.fdloop.internal.linux.FileOpen;
import io.fdloop.internal.linux.Flock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * <b>Thread-safe: any thread; completions, handlers and futures run on the file's loop thread.</b>
 * An {@link AsynchronousFileChannel} over an {@link AsyncFile}, made by {@link FdloopFileChannel},
 * whose Javadoc lists where it differs from the JDK's. The checks a JDK channel makes before
 * starting an operation are made here in the same order, and throw the same exceptions.
 */
final class FdloopAsyncChannel extends AsynchronousFileChannel {
    private static final FutureHandler<Integer> IO_FUTURE = new FutureHandler<>();
    private static final FutureHandler<FileLock> LOCK_FUTURE = new FutureHandler<>();
    private static final long LOCK_THREAD_STACK_BYTES = 256 * 1024;

    private final AsyncFile file;
    private final boolean syncWrites;
    private final Set<FdloopFileLock> locks = new HashSet<>(); // held or waited for; guarded by this
    private final Set<LockAttempt<?>> attempts = new HashSet<>(); // guarded by this
    private FileOpen.FileId id; // read on the first lock; guarded by this
    private volatile boolean closed;

    FdloopAsyncChannel(AsyncFile file, boolean syncWrites) {
        this.file = file;
        this.syncWrites = syncWrites;
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
        file.syncNow(metaData);
    }

    @Override
    public boolean isOpen() {
        return !closed && file.isOpen();
    }

    /**
     * Releases this channel's locks, fails the lock attempts still waiting, and closes the file
     * once the reads and writes in flight have completed (with their results). From another
     * thread this waits for them; from the loop thread it returns at once. Idempotent.
     */
    @Override
    public void close() {
        List<FdloopFileLock> held;
        List<LockAttempt<?>> waiting;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            held = List.copyOf(locks);
            waiting = List.copyOf(attempts);
            for (FdloopFileLock lock : held) {
                LockTable.remove(id, lock);
            }
            locks.clear();
            attempts.clear();
        }
        for (FdloopFileLock lock : held) {
            lock.invalidate(this);
        }
        for (LockAttempt<?> attempt : waiting) {
            attempt.abort();
        }
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
        if (closed || !dst.hasRemaining()) {
            deliver(handler, attachment, 0, closed ? new ClosedChannelException() : null);
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
        if (closed || !src.hasRemaining()) {
            deliver(handler, attachment, 0, closed ? new ClosedChannelException() : null);
            return;
        }
        new Transfer<>(false, src, attachment, handler).start(position);
    }

    /**
     * Runs a result the channel knows without the kernel through the loop, as a completion would
     * arrive; on the calling thread once the loop is closed.
     */
    private <V, A> void deliver(CompletionHandler<V, ? super A> handler, A attachment, V result, Throwable error) {
        Runnable completion = error == null
                ? () -> handler.completed(result, attachment)
                : () -> handler.failed(error, attachment);
        try {
            file.loop().execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run();
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
        private int syncedWrite = -1; // the bytes a SYNC write wrote, while its fsync runs

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
            if (syncedWrite >= 0) {
                handler.completed(syncedWrite, attachment);
                return;
            }
            if (read && result == 0) {
                handler.completed(-1, attachment); // at or past the end of the file, as the JDK reports it
                return;
            }
            if (kernel != user) {
                if (read && copied) {
                    user.put(user.position(), kernel, 0, result);
                }
                user.position(user.position() + result);
            }
            if (!read && syncWrites) {
                syncedWrite = result;
                file.fsync(null, this);
                return;
            }
            handler.completed(result, attachment);
        }

        @Override
        public void failed(Throwable error, Void unused) {
            handler.failed(error, attachment);
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
        LockAttempt<A> attempt = null;
        IOException failure = null;
        synchronized (this) {
            try {
                FdloopFileLock lock = register(position, size, shared);
                if (lock != null) {
                    attempt = new LockAttempt<>(lock, attachment, handler);
                    attempts.add(attempt);
                }
            } catch (IOException e) {
                failure = e;
            }
        }
        if (attempt == null) {
            deliver(handler, attachment, null, failure != null ? failure : new ClosedChannelException());
            return;
        }
        try {
            // A platform thread: a virtual thread blocked in a native call would pin its carrier.
            Thread.ofPlatform().name("fdloop-lock").daemon(true).stackSize(LOCK_THREAD_STACK_BYTES).start(attempt);
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                attempts.remove(attempt);
                unregister(attempt.lock);
            }
            throw e;
        }
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        checkLockMode(shared);
        FdloopFileLock lock = register(position, size, shared);
        if (lock == null) {
            throw new ClosedChannelException();
        }
        boolean granted = false;
        try {
            int r;
            try {
                r = file.ofdLock(Flock.F_OFD_SETLK, type(lock), lock.position(), kernelLength(lock));
            } catch (ClosedChannelException e) {
                throw closed ? new AsynchronousCloseException() : e;
            }
            if (r == -Errno.EAGAIN || r == -Errno.EACCES) {
                return null;
            }
            if (r < 0) {
                throw Errors.ioException("fcntl(F_OFD_SETLK)", r, file.path().toString());
            }
            synchronized (this) {
                granted = !closed;
            }
            if (!granted) {
                unlockQuietly(lock);
                throw new AsynchronousCloseException();
            }
            return lock;
        } finally {
            if (!granted) {
                unregister(lock);
            }
        }
    }

    private void checkLockMode(boolean shared) {
        if (shared && !file.readable()) {
            throw new NonReadableChannelException();
        }
        if (!shared && !file.writable()) {
            throw new NonWritableChannelException();
        }
    }

    /**
     * Enters a lock in this channel and the JVM-wide table; null when the channel is closed.
     *
     * @throws IllegalArgumentException               for a negative position or size, as FileLock's constructor
     * @throws java.nio.channels.OverlappingFileLockException when an fdloop lock in this JVM overlaps it
     */
    private synchronized FdloopFileLock register(long position, long size, boolean shared) throws IOException {
        if (closed) {
            return null;
        }
        if (id == null) {
            id = file.id();
        }
        long length = size != 0 ? size : Long.MAX_VALUE - Math.max(0, position); // 0: to the end, as the JDK
        FdloopFileLock lock = new FdloopFileLock(this, position, length, shared);
        LockTable.add(id, lock);
        locks.add(lock);
        return lock;
    }

    private synchronized void unregister(FdloopFileLock lock) {
        if (locks.remove(lock)) {
            LockTable.remove(id, lock);
        }
    }

    /** {@link FdloopFileLock#release()}: unlocks the range in the kernel, then forgets the lock. */
    void release(FdloopFileLock lock) throws IOException {
        int r = file.ofdLock(Flock.F_OFD_SETLK, Flock.F_UNLCK, lock.position(), kernelLength(lock));
        if (r < 0) {
            throw Errors.ioException("fcntl(F_OFD_SETLK, F_UNLCK)", r, file.path().toString());
        }
        unregister(lock);
    }

    /** Unlocks a range while closing; a file already closed has lost its locks with its fd. */
    void unlockQuietly(FdloopFileLock lock) {
        try {
            file.ofdLock(Flock.F_OFD_SETLK, Flock.F_UNLCK, lock.position(), kernelLength(lock));
        } catch (ClosedChannelException e) {
            // the fd is closed, and its OFD locks went with it
        }
    }

    private static short type(FileLock lock) {
        return lock.isShared() ? Flock.F_RDLCK : Flock.F_WRLCK;
    }

    /** {@code l_len}: Long.MAX_VALUE, the JDK's "everything", is 0 for the kernel. */
    private static long kernelLength(FileLock lock) {
        return lock.size() == Long.MAX_VALUE ? 0 : lock.size();
    }

    /** A blocking {@code lock}, waiting in F_OFD_SETLKW on a thread of its own. */
    private final class LockAttempt<A> implements Runnable {
        final FdloopFileLock lock;
        private final A attachment;
        private final CompletionHandler<FileLock, ? super A> handler;

        LockAttempt(FdloopFileLock lock, A attachment, CompletionHandler<FileLock, ? super A> handler) {
            this.lock = lock;
            this.attachment = attachment;
            this.handler = handler;
        }

        @Override
        public void run() {
            int r;
            try {
                r = file.ofdLock(Flock.F_OFD_SETLKW, type(lock), lock.position(), kernelLength(lock));
            } catch (ClosedChannelException e) {
                r = -Errno.EBADF;
            }
            synchronized (FdloopAsyncChannel.this) {
                if (!attempts.remove(this)) {
                    // close() has failed this attempt already; a range granted since goes back
                    if (r == 0) {
                        unlockQuietly(lock);
                    }
                    return;
                }
                if (r != 0) {
                    unregister(lock);
                }
            }
            if (r == 0) {
                deliver(handler, attachment, lock, null);
            } else if (r == -Errno.EBADF) {
                deliver(handler, attachment, null, new AsynchronousCloseException());
            } else {
                deliver(handler, attachment, null, Errors.ioException("fcntl(F_OFD_SETLKW)", r, file.path().toString()));
            }
        }

        void abort() {
            deliver(handler, attachment, null, new AsynchronousCloseException());
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
