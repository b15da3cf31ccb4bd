package io.fdloop.file;

import com.sun.nio.file.ExtendedOpenOption;
import io.fdloop.EventLoop;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.FileSystems;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * <b>Thread-safe: the factories, and every method of the channels they return, may be called from
 * any thread; completion handlers run on the loop thread and must not block.</b>
 *
 * <p>Opens {@link AsynchronousFileChannel}s whose I/O runs on an fdloop {@link EventLoop}: change
 * {@code AsynchronousFileChannel.open(path, options)} to {@code FdloopFileChannel.open(path, options)}
 * and the rest of the code stays as it is. The channels follow the {@link AsynchronousFileChannel}
 * contract, with these differences:
 * <ul>
 *   <li><b>Completion handlers run on the loop thread</b>, not on a thread pool: a handler must not
 *       block (no {@code Future.get}, no waiting on other I/O). The blocking methods ({@code size},
 *       {@code truncate}, {@code force}, {@code tryLock}) work from a handler but stall the loop
 *       while they run. Futures are {@link java.util.concurrent.CompletableFuture}s completed there too.</li>
 *   <li>Direct {@link java.nio.ByteBuffer}s go straight to the kernel. Heap buffers are copied
 *       through a direct buffer allocated per operation (aligned as the file needs for
 *       {@link ExtendedOpenOption#DIRECT}); prefer direct buffers.</li>
 *   <li>{@link StandardOpenOption#SYNC}: each write is followed by fsync(2) before it completes,
 *       which is what O_SYNC, the JDK's mapping, guarantees.</li>
 *   <li>Locks are Linux open file description (OFD) locks. {@link java.nio.channels.OverlappingFileLockException}
 *       is raised for overlaps with locks of other fdloop channels in this JVM, as the JDK does among
 *       its own channels; a lock taken through the JDK's channels instead conflicts in the kernel
 *       ({@code tryLock} returns null, {@code lock} waits). The JDK's locks are POSIX record locks,
 *       which the kernel drops when the process closes <em>any</em> fd of the file, an fdloop
 *       channel's included; fdloop's own locks are not affected by other opens.</li>
 *   <li>Closing: operations in flight complete with their own results (the JDK may fail them with
 *       {@link AsynchronousCloseException}). A pending {@code lock} fails at once with
 *       {@code AsynchronousCloseException}, but the thread waiting in fcntl(2) for it, and the fd it
 *       holds, remain until the kernel grants the range, which is then released at once.</li>
 *   <li>Options: {@code READ}, {@code WRITE}, {@code CREATE}, {@code CREATE_NEW},
 *       {@code TRUNCATE_EXISTING}, {@code DSYNC}, {@code SYNC}, {@code SPARSE} (ignored, as by
 *       the JDK) and {@code ExtendedOpenOption.DIRECT}. {@code APPEND} throws
 *       {@link UnsupportedOperationException} as it does for the JDK; so do
 *       {@code DELETE_ON_CLOSE}, {@code LinkOption.NOFOLLOW_LINKS} and anything else.</li>
 * </ul>
 *
 * <pre>{@code
 * AsynchronousFileChannel channel = FdloopFileChannel.open(path, StandardOpenOption.READ);
 * channel.read(buffer, 0, buffer, handler);   // handler runs on the loop thread "fdloop-default"
 * }</pre>
 */
public final class FdloopFileChannel {
    /** The name of the loop {@link #open(Path, OpenOption...)} uses. */
    public static final String DEFAULT_LOOP_NAME = "fdloop-default";

    private static final Object DEFAULT_LOOP_LOCK = new Object();
    private static volatile EventLoop defaultLoop;

    private FdloopFileChannel() {
    }

    /**
     * Opens {@code path} on the process-wide default loop: a daemon loop named
     * {@value #DEFAULT_LOOP_NAME}, started on first use and kept for the life of the process
     * (replaced only if it failed and closed). Any thread; blocks like open(2).
     *
     * @throws UnsupportedOperationException for {@code APPEND} and the options fdloop does not support
     * @throws IOException                   when the file cannot be opened
     */
    public static AsynchronousFileChannel open(Path path, OpenOption... options) throws IOException {
        Set<OpenOption> set = new HashSet<>();
        Collections.addAll(set, options);
        return open(defaultLoop(), path, set);
    }

    /**
     * Opens {@code path} on {@code loop}, whose thread runs the channel's completions. The channel
     * is closed when the loop closes. Any thread; blocks like open(2).
     *
     * @throws UnsupportedOperationException for {@code APPEND}, the options fdloop does not support,
     *                                       or a path of another file system than the default one
     * @throws IOException                   when the file cannot be opened
     */
    public static AsynchronousFileChannel open(EventLoop loop, Path path, Set<? extends OpenOption> options)
            throws IOException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(path, "path");
        boolean sync = false;
        Set<FileOption> fileOptions = EnumSet.noneOf(FileOption.class);
        for (OpenOption option : options) {
            if (option instanceof StandardOpenOption standard) {
                switch (standard) {
                    case READ -> fileOptions.add(FileOption.READ);
                    case WRITE -> fileOptions.add(FileOption.WRITE);
                    case CREATE -> fileOptions.add(FileOption.CREATE);
                    case CREATE_NEW -> fileOptions.add(FileOption.CREATE_NEW);
                    case TRUNCATE_EXISTING -> fileOptions.add(FileOption.TRUNCATE);
                    case DSYNC -> fileOptions.add(FileOption.DSYNC);
                    case SYNC -> sync = true;
                    case SPARSE -> {
                        // a hint; the JDK ignores it on Linux too
                    }
                    case APPEND -> throw new UnsupportedOperationException("APPEND not allowed");
                    default -> throw new UnsupportedOperationException(option + " not supported by fdloop");
                }
            } else if (option == ExtendedOpenOption.DIRECT) {
                fileOptions.add(FileOption.DIRECT);
            } else {
                Objects.requireNonNull(option, "option");
                throw new UnsupportedOperationException(option + " not supported by fdloop");
            }
        }
        if (!fileOptions.contains(FileOption.WRITE)) {
            // As the JDK: creating and truncating apply only to a file opened for writing.
            fileOptions.removeAll(EnumSet.of(FileOption.CREATE, FileOption.CREATE_NEW, FileOption.TRUNCATE));
        }
        if (path.getFileSystem() != FileSystems.getDefault()) {
            throw new UnsupportedOperationException("fdloop opens files of the default file system only, not " + path.getFileSystem());
        }
        return new FdloopAsyncChannel(AsyncFile.open(loop, path, fileOptions), sync);
    }

    private static EventLoop defaultLoop() throws IOException {
        EventLoop loop = defaultLoop;
        if (loop == null || loop.isClosed()) {
            synchronized (DEFAULT_LOOP_LOCK) {
                loop = defaultLoop;
                if (loop == null || loop.isClosed()) {
                    loop = EventLoop.builder().name(DEFAULT_LOOP_NAME).daemon(true).start();
                    defaultLoop = loop;
                }
            }
        }
        return loop;
    }
}
