package io.fdloop.internal.channel;

import io.fdloop.Timer;
import io.fdloop.internal.file.OpenFile;
import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.Errors;
import io.fdloop.internal.linux.FileOpen;
import io.fdloop.internal.linux.Flock;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileLock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * The file locks of one fdloop {@link AsynchronousFileChannel}: Linux open file description (OFD)
 * locks, entered in the JVM-wide {@link LockTable} while held or waited for.
 *
 * <p>A waiting {@code lock} costs no thread: the loop tries {@code F_OFD_SETLK} (which never blocks)
 * and, while another holder has the range, tries again on a timer, backing off from 1 ms to 100 ms.
 * The price is that a range released by another process is taken up to 100 ms later, and waiters
 * are not served in the kernel's order; a lock is for starting up and for rare exclusive work, so
 * bounded resources matter more here than latency.
 *
 * <p><b>Thread-safe</b>: the monitor guards the sets; attempts run on the loop thread.
 */
final class ChannelLocks {
    private static final long FIRST_RETRY_NS = Duration.ofMillis(1).toNanos();
    private static final long LAST_RETRY_NS = Duration.ofMillis(100).toNanos();

    private final AsynchronousFileChannel channel;
    private final OpenFile file;
    private final HandlerThreads handlers;
    private final Set<FdloopFileLock> locks = new HashSet<>(); // held or waited for; guarded by this
    private final Set<Attempt<?>> attempts = new HashSet<>(); // guarded by this
    private FileOpen.FileId id; // read on the first lock; guarded by this
    private boolean closed; // guarded by this

    ChannelLocks(AsynchronousFileChannel channel, OpenFile file, HandlerThreads handlers) {
        this.channel = channel;
        this.file = file;
        this.handlers = handlers;
    }

    /** {@code AsynchronousFileChannel.lock}: completes once the range is granted. Any thread. */
    <A> void lock(long position, long size, boolean shared, A attachment, CompletionHandler<FileLock, ? super A> handler) {
        Attempt<A> attempt;
        synchronized (this) {
            FdloopFileLock lock;
            try {
                lock = register(position, size, shared);
            } catch (IOException e) {
                handlers.failed(handler, attachment, e);
                return;
            }
            if (lock == null) {
                handlers.failed(handler, attachment, new ClosedChannelException());
                return;
            }
            attempt = new Attempt<>(lock, attachment, handler);
            attempts.add(attempt);
        }
        try {
            file.loop().execute(attempt);
        } catch (RejectedExecutionException loopClosed) {
            attempt.fail(new AsynchronousCloseException());
        }
    }

    /** {@code AsynchronousFileChannel.tryLock}: the lock, or null when another holder has the range. Any thread. */
    FileLock tryLock(long position, long size, boolean shared) throws IOException {
        FdloopFileLock lock = register(position, size, shared);
        if (lock == null) {
            throw new ClosedChannelException();
        }
        boolean granted = false;
        try {
            int r;
            try {
                r = file.blocking().ofdLock(Flock.F_OFD_SETLK, type(lock), lock.position(), kernelLength(lock));
            } catch (ClosedChannelException e) {
                throw isClosed() ? new AsynchronousCloseException() : e;
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

    /** {@link FdloopFileLock#release()}: unlocks the range in the kernel, then forgets the lock. */
    void release(FdloopFileLock lock) throws IOException {
        int r = file.blocking().ofdLock(Flock.F_OFD_SETLK, Flock.F_UNLCK, lock.position(), kernelLength(lock));
        if (r < 0) {
            throw Errors.ioException("fcntl(F_OFD_SETLK, F_UNLCK)", r, file.path().toString());
        }
        unregister(lock);
    }

    /** Unlocks a range while closing; a file already closed has lost its locks with its fd. */
    void unlockQuietly(FdloopFileLock lock) {
        try {
            file.blocking().ofdLock(Flock.F_OFD_SETLK, Flock.F_UNLCK, lock.position(), kernelLength(lock));
        } catch (ClosedChannelException e) {
            // the fd is closed, and its OFD locks went with it
        }
    }

    /** The channel is closing: releases the locks held and fails the attempts still waiting. */
    void close() {
        List<FdloopFileLock> held;
        List<Attempt<?>> waiting;
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
            lock.invalidate();
        }
        for (Attempt<?> attempt : waiting) {
            attempt.abort();
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Enters a lock in this channel and the JVM-wide table; null when the channel is closed.
     *
     * @throws IllegalArgumentException for a negative position or size, as FileLock's constructor
     * @throws java.nio.channels.OverlappingFileLockException when an fdloop lock in this JVM overlaps it
     */
    private synchronized FdloopFileLock register(long position, long size, boolean shared) throws IOException {
        if (closed) {
            return null;
        }
        if (id == null) {
            id = file.blocking().id();
        }
        long length = size != 0 ? size : Long.MAX_VALUE - Math.max(0, position); // 0: to the end, as the JDK
        FdloopFileLock lock = new FdloopFileLock(channel, this, position, length, shared);
        LockTable.add(id, lock);
        locks.add(lock);
        return lock;
    }

    private synchronized void unregister(FdloopFileLock lock) {
        if (locks.remove(lock)) {
            LockTable.remove(id, lock);
        }
    }

    private static short type(FileLock lock) {
        return lock.isShared() ? Flock.F_RDLCK : Flock.F_WRLCK;
    }

    /** {@code l_len}: Long.MAX_VALUE, the JDK's "everything", is 0 for the kernel. */
    private static long kernelLength(FileLock lock) {
        return lock.size() == Long.MAX_VALUE ? 0 : lock.size();
    }

    /** A waiting {@code lock}: tries on the loop thread, and again on a timer while the range is held. */
    private final class Attempt<A> implements Runnable {
        final FdloopFileLock lock;
        private final A attachment;
        private final CompletionHandler<FileLock, ? super A> handler;
        private long retryNs = FIRST_RETRY_NS;
        private Timer retry; // loop thread

        Attempt(FdloopFileLock lock, A attachment, CompletionHandler<FileLock, ? super A> handler) {
            this.lock = lock;
            this.attachment = attachment;
            this.handler = handler;
        }

        @Override
        public void run() {
            synchronized (ChannelLocks.this) {
                if (!attempts.contains(this)) {
                    return; // failed by close() meanwhile
                }
            }
            int r;
            try {
                r = file.blocking().ofdLock(Flock.F_OFD_SETLK, type(lock), lock.position(), kernelLength(lock));
            } catch (ClosedChannelException e) {
                r = -Errno.EBADF;
            }
            if (r == -Errno.EAGAIN || r == -Errno.EACCES) {
                try {
                    retry = file.loop().schedule(Duration.ofNanos(retryNs), this);
                } catch (RejectedExecutionException loopClosed) {
                    fail(new AsynchronousCloseException());
                }
                retryNs = Math.min(LAST_RETRY_NS, retryNs * 2);
                return;
            }
            synchronized (ChannelLocks.this) {
                if (!attempts.remove(this)) {
                    if (r == 0) {
                        unlockQuietly(lock); // close() failed this attempt as the range was granted
                    }
                    return;
                }
                if (r != 0) {
                    unregister(lock);
                }
            }
            if (r == 0) {
                handlers.completed(handler, attachment, lock);
            } else if (r == -Errno.EBADF) {
                handlers.failed(handler, attachment, new AsynchronousCloseException());
            } else {
                handlers.failed(handler, attachment, Errors.ioException("fcntl(F_OFD_SETLK)", r, file.path().toString()));
            }
        }

        /** The channel closed while waiting. */
        void abort() {
            Timer pending = retry;
            if (pending != null) {
                pending.cancel();
            }
            handlers.failed(handler, attachment, new AsynchronousCloseException());
        }

        void fail(Throwable error) {
            synchronized (ChannelLocks.this) {
                if (!attempts.remove(this)) {
                    return;
                }
                unregister(lock);
            }
            handlers.failed(handler, attachment, error);
        }
    }
}
