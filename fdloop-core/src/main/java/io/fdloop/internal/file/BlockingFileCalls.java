package io.fdloop.internal.file;

import io.fdloop.internal.linux.FileOpen;
import io.fdloop.internal.linux.Flock;
import io.fdloop.internal.linux.GuardedFd;
import io.fdloop.internal.linux.Syscalls;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * The calls made on an open file outside its loop, blocking the calling thread: size, truncation,
 * preallocation, sync, identity and OFD locks. Each holds the fd through its {@link GuardedFd}, so
 * that a close on the loop cannot hand the fd number to another file while the call uses it.
 *
 * <p><b>Thread-safe.</b>
 */
public final class BlockingFileCalls {
    private final Syscalls syscalls;
    private final GuardedFd guard;
    private final Path path;
    private final BooleanSupplier open;

    BlockingFileCalls(Syscalls syscalls, GuardedFd guard, Path path, BooleanSupplier open) {
        this.syscalls = syscalls;
        this.guard = guard;
        this.path = path;
        this.open = open;
    }

    /** The file's size, from statx. */
    public long size() throws IOException {
        int fd = acquire();
        try {
            return FileOpen.size(syscalls, fd);
        } finally {
            guard.release();
        }
    }

    /** ftruncate(2). */
    public void truncate(long size) throws IOException {
        int fd = acquire();
        try {
            FileOpen.truncate(syscalls, fd, size, path);
        } finally {
            guard.release();
        }
    }

    /** fallocate(2), mode 0. */
    public void allocate(long position, long length) throws IOException {
        int fd = acquire();
        try {
            FileOpen.allocate(syscalls, fd, position, length, path);
        } finally {
            guard.release();
        }
    }

    /** fsync(2) with {@code metadata}, else fdatasync(2). */
    public void sync(boolean metadata) throws IOException {
        int fd = acquire();
        try {
            FileOpen.sync(syscalls, fd, metadata, path);
        } finally {
            guard.release();
        }
    }

    /** The device and inode of the file. */
    public FileOpen.FileId id() throws IOException {
        int fd = acquire();
        try {
            return FileOpen.id(syscalls, fd);
        } finally {
            guard.release();
        }
    }

    /**
     * One OFD lock command on the file (see {@link Flock#apply}): 0, or {@code -errno}.
     * {@link Flock#F_OFD_SETLKW} blocks the calling thread until the range is granted; the fd stays
     * open until it returns, even if the file is closed meanwhile.
     */
    public int ofdLock(int command, short type, long start, long length) throws ClosedChannelException {
        int fd = acquire();
        try {
            return Flock.apply(syscalls, fd, command, type, start, length);
        } finally {
            guard.release();
        }
    }

    private int acquire() throws ClosedChannelException {
        if (!open.getAsBoolean() || !guard.acquire()) {
            throw new ClosedChannelException();
        }
        return guard.fd();
    }
}
