package io.fdloop.internal.channel;

import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileLock;

/**
 * <b>Thread-safe.</b> A lock on a range of a file taken through an {@link FdloopAsyncChannel}: an
 * OFD lock in the kernel, entered in {@link LockTable} while it is held or waited for.
 */
final class FdloopFileLock extends FileLock {
    private final ChannelLocks locks;
    private volatile boolean invalid;

    FdloopFileLock(AsynchronousFileChannel channel, ChannelLocks locks, long position, long size, boolean shared) {
        super(channel, position, size, shared);
        this.locks = locks;
    }

    @Override
    public boolean isValid() {
        return !invalid;
    }

    /** As the JDK's: fails on a closed channel; releasing a released lock does nothing. */
    @Override
    public synchronized void release() throws IOException {
        if (!acquiredBy().isOpen()) {
            throw new ClosedChannelException();
        }
        if (!invalid) {
            locks.release(this);
            invalid = true;
        }
    }

    /** The channel is closing: the range is unlocked unless {@link #release()} did it. */
    synchronized void invalidate() {
        if (!invalid) {
            invalid = true;
            locks.unlockQuietly(this);
        }
    }
}
