package io.fdloop.internal.file;

import io.fdloop.EventLoop;
import io.fdloop.NativeIOException;
import io.fdloop.file.DirectAlignment;
import io.fdloop.file.FileBackend;
import io.fdloop.file.FileOption;
import io.fdloop.internal.fs.DefaultPaths;
import io.fdloop.internal.linux.Arch;
import io.fdloop.internal.linux.FileOpen;
import io.fdloop.internal.loop.LoopHost;
import io.fdloop.internal.loop.Loops;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * Opening a file for a loop: the open(2) flags, the kind of file, what O_DIRECT needs of it, its
 * backend, and its registration with the loop's file engine, in one step with the loop's close.
 *
 * <p><b>Stateless; thread-safe.</b> Blocks like open(2).
 */
public final class FileOpener {
    /** The mode of a created file, as the JDK's: the umask takes the rest off. */
    public static final int DEFAULT_MODE = FileOpen.DEFAULT_MODE;

    private FileOpener() {
    }

    /**
     * Opens {@code path} on {@code loop}.
     *
     * @param backend the backend for this file, or null for the loop's choice
     * @param mode    the mode of a file the open creates (before the umask)
     */
    public static OpenFile open(EventLoop loop, Path path, Set<FileOption> options, FileBackend backend, int mode)
            throws IOException {
        Objects.requireNonNull(path, "path");
        Path platformPath = DefaultPaths.toPlatform(path);
        LoopHost host = Loops.host(loop);
        if (host.isShuttingDown()) {
            throw loopClosed();
        }
        boolean writable = options.contains(FileOption.WRITE);
        boolean readable = options.contains(FileOption.READ) || !writable;
        boolean direct = options.contains(FileOption.DIRECT);
        int fd = openNonBlocking(host, platformPath, flags(options, readable, writable), mode);
        try {
            FileSystemException refused = FileTypes.refusal(platformPath, FileOpen.type(host.syscalls(), fd));
            if (refused != null) {
                throw refused;
            }
            FileOpen.clearNonBlocking(host.syscalls(), fd, platformPath);
            DirectAlignment alignment = direct ? DirectAlignments.of(host.syscalls(), fd) : null;
            FileEngine engine = FileEngine.of(host);
            Backend chosen = engine.backendFor(backend, direct);
            OpenFile file = new OpenFile(loop, host, engine, chosen, path, fd, readable, writable, alignment);
            if (!engine.register(file)) {
                throw new RejectedExecutionException("the loop closed while " + path + " was being opened");
            }
            return file;
        } catch (IOException | RuntimeException e) {
            host.syscalls().close(fd);
            if (e instanceof RejectedExecutionException) {
                throw loopClosed();
            }
            throw e;
        }
    }

    private static int flags(Set<FileOption> options, boolean readable, boolean writable) {
        int flags = readable && writable ? Arch.O_RDWR : writable ? Arch.O_WRONLY : Arch.O_RDONLY;
        if (options.contains(FileOption.CREATE_NEW)) {
            flags |= Arch.O_CREAT | Arch.O_EXCL;
        } else if (options.contains(FileOption.CREATE)) {
            flags |= Arch.O_CREAT;
        }
        if (options.contains(FileOption.TRUNCATE) && writable) {
            flags |= Arch.O_TRUNC;
        }
        if (options.contains(FileOption.SYNC)) {
            flags |= Arch.O_SYNC;
        } else if (options.contains(FileOption.DSYNC)) {
            flags |= Arch.O_DSYNC;
        }
        if (options.contains(FileOption.DIRECT)) {
            flags |= Arch.current().oDirect();
        }
        return flags;
    }

    /**
     * open(2) with O_NONBLOCK, so that opening a FIFO cannot wait for its other end; the flag is
     * cleared once the file is known to be one fdloop serves (io_uring would otherwise fail reads
     * that must wait with EAGAIN).
     */
    private static int openNonBlocking(LoopHost host, Path path, int flags, int mode) throws IOException {
        try {
            return FileOpen.open(host.syscalls(), path, flags | Arch.O_NONBLOCK, mode);
        } catch (NativeIOException e) {
            // A non-blocking open for writing of a FIFO without a reader: the kind of file is the problem.
            if (e.errorName().equals("ENXIO") && isOther(path)) {
                FileSystemException refused = new FileSystemException(path.toString(), null,
                        "is a FIFO or a device, not a regular file (AsyncFile opens regular files and block devices)");
                refused.initCause(e);
                throw refused;
            }
            throw e;
        }
    }

    private static boolean isOther(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).isOther();
        } catch (IOException e) {
            return false;
        }
    }

    /** The failure of an open, or an operation, handed to a loop that has closed. */
    static ClosedChannelException loopClosed() {
        ClosedChannelException closed = new ClosedChannelException();
        closed.initCause(new RejectedExecutionException("the event loop is closed"));
        return closed;
    }
}
