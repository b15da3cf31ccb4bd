package io.fdloop.file;

import io.fdloop.EventLoop;
import io.fdloop.internal.channel.Channels;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Collections;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * <b>Thread-safe: the factories, and every method of the channels they return, may be called from
 * any thread; completion handlers run on the channel's executor, or on the loop thread.</b>
 *
 * <p>Opens {@link AsynchronousFileChannel}s whose I/O runs on an fdloop {@link EventLoop}: change
 * {@code AsynchronousFileChannel.open(...)} to {@code FdloopFileChannel.open(...)} (same arguments)
 * and the rest of the code stays as it is — or change nothing and install
 * {@link FdloopFileSystemProvider}. The channels follow the {@link AsynchronousFileChannel}
 * contract, with these differences:
 * <ul>
 *   <li><b>Threads.</b> Opened with an {@link ExecutorService}, a channel runs its completion handlers
 *       there, as the JDK does. Opened without one, it runs them on the loop thread, which stands for
 *       the channel's thread pool: the JDK's default pool would add a thread hop to every completion,
 *       which is what fdloop removes. Only when the JDK's default pool is configured explicitly
 *       ({@code -Djava.nio.channels.DefaultThreadPool.threadFactory=...} or {@code .initialSize}) do
 *       such channels run their handlers on a pool made as the JDK makes it, shared by all of them.
 *       A handler on the loop thread must not block (no {@code Future.get},
 *       no waiting on other I/O); the blocking methods ({@code size}, {@code truncate}, {@code force},
 *       {@code tryLock}) work from a handler but stall the loop while they run. A handler never runs
 *       on the thread that started the operation: once the loop has closed, a daemon thread named
 *       {@value #LATE_COMPLETION_THREAD} runs it. Futures are
 *       {@link java.util.concurrent.CompletableFuture}s completed on the same threads as handlers.</li>
 *   <li><b>Buffers.</b> Direct {@link java.nio.ByteBuffer}s go straight to the kernel (those that view an
 *       {@code Arena.ofShared()} segment through a loop buffer, since such an arena can be closed at
 *       any time). Heap buffers are copied through a direct buffer allocated per operation (aligned as
 *       the file needs for {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}); prefer direct buffers.</li>
 *   <li><b>Locks</b> are Linux open file description (OFD) locks. {@link java.nio.channels.OverlappingFileLockException}
 *       is raised for overlaps with locks of other fdloop channels in this JVM, as the JDK does among
 *       its own channels; a lock taken through the JDK's channels instead conflicts in the kernel
 *       ({@code tryLock} returns null, {@code lock} waits). The JDK's locks are POSIX record locks,
 *       which the kernel drops when the process closes <em>any</em> fd of the file, an fdloop
 *       channel's included; fdloop's own locks are not affected by other opens. A waiting
 *       {@code lock} holds no thread: the loop retries on a timer (up to every 100 ms).</li>
 *   <li><b>Closing.</b> Operations in flight complete with their own results, or fail with
 *       {@link AsynchronousCloseException} when the close cancels them (io_uring cancels what is
 *       waiting; see {@link EventLoop.Builder#closeTimeout}); a pending {@code lock} fails with
 *       {@code AsynchronousCloseException}.</li>
 *   <li><b>Options</b>: {@code READ}, {@code WRITE}, {@code CREATE}, {@code CREATE_NEW},
 *       {@code TRUNCATE_EXISTING}, {@code DSYNC} (O_DSYNC), {@code SYNC} (O_SYNC), {@code SPARSE}
 *       (ignored, as by the JDK) and {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}; {@code APPEND} throws
 *       {@link UnsupportedOperationException} as it does for the JDK; so do {@code DELETE_ON_CLOSE},
 *       {@code LinkOption.NOFOLLOW_LINKS} and anything else. The one initial attribute taken is
 *       {@code posix:permissions}, as the JDK's.</li>
 *   <li><b>Files.</b> Regular files and block devices (see {@link AsyncFile#open(EventLoop, Path, Set)}):
 *       a directory, FIFO or socket is refused at open.</li>
 * </ul>
 *
 * <pre>{@code
 * AsynchronousFileChannel channel = FdloopFileChannel.open(path, StandardOpenOption.READ);
 * channel.read(buffer, 0, buffer, handler);   // handler runs on the loop thread "fdloop-default"
 * }</pre>
 */
public final class FdloopFileChannel {
    /** The name of the loop the factories without a loop argument use. */
    public static final String DEFAULT_LOOP_NAME = "fdloop-default";
    /** The name of the thread that runs completion handlers once their loop has closed. */
    public static final String LATE_COMPLETION_THREAD = "fdloop-late-completions";

    private static final Object DEFAULT_LOOP_LOCK = new Object();
    private static volatile EventLoop defaultLoop;

    private FdloopFileChannel() {
    }

    /**
     * Opens {@code path} on the process-wide default loop: a daemon loop named
     * {@value #DEFAULT_LOOP_NAME}, started on first use and kept for the life of the process
     * (replaced only if it failed and closed). Handlers run on its thread. Any thread; blocks like open(2).
     *
     * @param path    the file, of the default file system
     * @param options how to open it, as for {@link AsynchronousFileChannel#open(Path, OpenOption...)}
     * @return the open channel
     * @throws UnsupportedOperationException for {@code APPEND} and the options fdloop does not support
     * @throws IOException                   when the file cannot be opened
     */
    public static AsynchronousFileChannel open(Path path, OpenOption... options) throws IOException {
        Set<OpenOption> set = new HashSet<>();
        Collections.addAll(set, options);
        return open(defaultLoop(), path, set, null);
    }

    /**
     * {@link AsynchronousFileChannel#open(Path, Set, ExecutorService, FileAttribute[])} on the default
     * loop: handlers run on {@code executor}, or on the loop thread when it is null. Any thread; blocks
     * like open(2).
     *
     * @param path     the file, of the default file system
     * @param options  how to open it
     * @param executor where handlers run, or null for the loop thread
     * @param attrs    initial attributes of a created file: {@code posix:permissions} only
     * @return the open channel
     * @throws UnsupportedOperationException for {@code APPEND}, the options fdloop does not support, or
     *                                       an initial attribute other than {@code posix:permissions}
     * @throws IOException                   when the file cannot be opened
     */
    public static AsynchronousFileChannel open(Path path, Set<? extends OpenOption> options, ExecutorService executor,
                                               FileAttribute<?>... attrs) throws IOException {
        return open(defaultLoop(), path, options, executor, attrs);
    }

    /**
     * Opens {@code path} on {@code loop}, whose thread runs the channel's completions. The channel
     * is closed when the loop closes. Any thread; blocks like open(2).
     *
     * @param loop    the loop whose thread runs the channel's completions
     * @param path    the file, of the default file system
     * @param options how to open it
     * @return the open channel
     * @throws UnsupportedOperationException for {@code APPEND} and the options fdloop does not support
     * @throws java.nio.file.ProviderMismatchException for a path of another file system than the default one
     * @throws IOException                   when the file cannot be opened
     */
    public static AsynchronousFileChannel open(EventLoop loop, Path path, Set<? extends OpenOption> options)
            throws IOException {
        return open(loop, path, options, null);
    }

    /**
     * Opens {@code path} on {@code loop}; handlers run on {@code executor}, or on the loop thread when
     * it is null. Any thread; blocks like open(2).
     *
     * @param loop     the loop that performs the channel's I/O
     * @param path     the file, of the default file system
     * @param options  how to open it
     * @param executor where handlers run, or null for the loop thread
     * @param attrs    initial attributes of a created file: {@code posix:permissions} only
     * @return the open channel
     * @throws UnsupportedOperationException for {@code APPEND}, the options fdloop does not support, or
     *                                       an initial attribute other than {@code posix:permissions}
     * @throws java.nio.file.ProviderMismatchException for a path of another file system than the default one
     * @throws IOException                   when the file cannot be opened
     */
    public static AsynchronousFileChannel open(EventLoop loop, Path path, Set<? extends OpenOption> options,
                                               ExecutorService executor, FileAttribute<?>... attrs)
            throws IOException {
        return Channels.open(loop, path, options, executor, attrs);
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
