package io.fdloop.file;

import io.fdloop.FileBackendChoice;
import io.fdloop.internal.aio.AioBackend;
import io.fdloop.internal.file.CompletionSink;
import io.fdloop.internal.file.FileBackend;
import io.fdloop.internal.file.OpTable;
import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.loop.LoopHost;
import io.fdloop.internal.loop.ShutdownParticipant;
import io.fdloop.internal.threads.ThreadPoolBackend;
import io.fdloop.internal.uring.UringBackend;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One loop's file machinery: the table of operations in flight, the backends (created on first
 * use and plugged into the loop), and the open files, which the loop closes when it closes.
 * Delivers every completion to its handler.
 *
 * <p><b>Loop thread only</b>, except {@link #backendFor(boolean)} and {@link #register}, which
 * {@code AsyncFile.open} uses from any thread.
 */
final class FileEngine implements CompletionSink, ShutdownParticipant {
    private static final System.Logger LOG = System.getLogger("io.fdloop.file");
    /** Buffers of requests abandoned at close, which the kernel may still write: never freed. */
    private static final ConcurrentLinkedQueue<Object> KEPT_FOR_THE_KERNEL = new ConcurrentLinkedQueue<>();

    final LoopHost host;
    final OpTable ops = new OpTable(256);
    private final BounceBuffers bounceBuffers = new BounceBuffers();
    private final Set<AsyncFile> openFiles = new HashSet<>(); // guarded by this
    private boolean closed; // guarded by this: no file may register any more
    private FileBackend aio; // guarded by this
    private String aioUnavailableCause; // guarded by this
    private FileBackend threads; // guarded by this
    private FileBackend uring; // guarded by this
    private String uringUnavailableCause; // guarded by this

    private FileEngine(LoopHost host) {
        this.host = host;
        host.addShutdownParticipant(this);
    }

    static FileEngine of(LoopHost host) {
        return host.attachment(FileEngine.class, FileEngine::new);
    }

    /**
     * The backend for a new file, as the loop's settings choose it. {@code auto}: io_uring when
     * usable; else Linux AIO for direct files (else threads) and threads for buffered ones. A
     * backend that fails to start is logged once, with the kernel's reason, and the next one is used.
     */
    synchronized FileBackend backendFor(boolean direct) throws IOException {
        return switch (host.settings().fileBackend()) {
            case "aio" -> require(aio(false), "Linux AIO", aioUnavailableCause);
            case "uring" -> require(uring(false), "io_uring", uringUnavailableCause);
            case "threads" -> threads();
            default -> {
                for (FileBackendChoice choice : FileBackendChoice.autoPreference(direct)) {
                    FileBackend backend = switch (choice) {
                        case URING -> uring(true);
                        case AIO -> aio(true);
                        default -> threads();
                    };
                    if (backend != null) {
                        yield backend;
                    }
                }
                yield threads();
            }
        };
    }

    private static FileBackend require(FileBackend backend, String what, String cause) throws IOException {
        if (backend == null) {
            throw new IOException("this loop was built to use " + what + " for every file, but " + what
                    + " is unavailable: " + cause);
        }
        return backend;
    }

    /**
     * Linux AIO, started on first use; null when the kernel refuses it. The cause is logged once,
     * saying what happens instead: the next backend for {@code auto}, a refused open when forced.
     */
    private FileBackend aio(boolean auto) {
        if (aio == null && aioUnavailableCause == null) {
            try {
                aio = plugIn(AioBackend.open(host.syscalls(), ops, this, host.settings().queueDepth(),
                        host.settings().forceIoGetevents()));
            } catch (IOException e) {
                aioUnavailableCause = e.getMessage();
                LOG.log(System.Logger.Level.WARNING, "Linux AIO is unavailable (" + aioUnavailableCause + "); "
                        + (auto ? "direct files on loop " + host.name() + " use the thread backend"
                                : "loop " + host.name() + " was built for Linux AIO, so its files cannot be opened"));
            }
        }
        return aio;
    }

    /** io_uring, started on first use; null when the kernel refuses it (the cause is logged once, as for AIO). */
    private FileBackend uring(boolean auto) {
        if (uring == null && uringUnavailableCause == null) {
            try {
                uring = plugIn(UringBackend.open(host.syscalls(), ops, this, host.settings().queueDepth()));
            } catch (IOException e) {
                uringUnavailableCause = e.getMessage();
                LOG.log(System.Logger.Level.WARNING, "io_uring is unavailable (" + uringUnavailableCause + "); "
                        + (auto ? "files on loop " + host.name() + " use Linux AIO (direct) or the thread backend"
                                : "loop " + host.name() + " was built for io_uring, so its files cannot be opened"));
            }
        }
        return uring;
    }

    private synchronized FileBackend threads() throws IOException {
        if (threads == null) {
            threads = plugIn(ThreadPoolBackend.open(host.syscalls(), ops, this, host.settings().fileThreads(),
                    host.name()));
        }
        return threads;
    }

    /** Adds a new backend's eventfd to the loop; a backend the loop refuses is closed again. */
    private <B extends FileBackend> B plugIn(B backend) throws IOException {
        try {
            host.addSource(backend);
            return backend;
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    BounceBuffers bounceBuffers() {
        return bounceBuffers;
    }

    /**
     * Enters a newly opened file, in one step with the loop's close: false when the loop has begun
     * to close (the caller then closes the fd and fails the open). Any thread.
     */
    synchronized boolean register(AsyncFile file) {
        if (closed || host.isShuttingDown()) {
            return false;
        }
        openFiles.add(file);
        return true;
    }

    synchronized void closed(AsyncFile file) {
        openFiles.remove(file);
    }

    /** Issues one operation. Loop thread. */
    <A> void issue(AsyncFile file, FileBackend backend, int kind, int fd, long address, long length, long position,
                   int vectorCount, Object buffer, A attachment, IoHandler<? super A> handler) {
        int slot = ops.acquire(kind, fd, address, length, position, vectorCount, handler, attachment, buffer, file);
        ops.setGuard(slot, file.guard());
        file.issued();
        backend.submit(slot);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void complete(int slot, long result) {
        AsyncFile file = (AsyncFile) ops.owner(slot);
        if (result == -Errno.EINVAL && file.backendRoutesBufferedRefusals() && reissueOnThreads(slot)) {
            // Linux AIO takes asynchronously only what the file's driver can (character devices without
            // an iterator, some procfs files): the thread backend performs it instead, as the others would.
            return;
        }
        IoHandler<Object> handler = (IoHandler<Object>) ops.handler(slot);
        Object attachment = ops.attachment(slot);
        Object buffer = ops.buffer(slot);
        int kind = ops.kind(slot);
        boolean abandoned = ops.isAbandoned(slot);
        ops.release(slot);
        Throwable failure = result < 0 ? file.failure(kind, result) : null;
        Object user = buffer;
        if (buffer instanceof BounceBuffers.Bounce bounce) {
            user = bounce.user;
            if (failure == null && bounce.read && !abandoned) {
                try {
                    Buffers.copyOut(bounce.kernel, user, result);
                } catch (IllegalStateException closedMeanwhile) {
                    failure = new IllegalStateException("Already closed: the buffer's arena was closed while the read"
                            + " was in flight; the bytes read were dropped", closedMeanwhile);
                }
            }
            bounceBuffers.give(bounce);
        }
        if (abandoned) {
            KEPT_FOR_THE_KERNEL.remove(buffer != null ? buffer : file);
            return; // its caller was told at close; the kernel is done with the buffer only now
        }
        file.completed();
        try {
            if (failure == null) {
                Buffers.advance(user, result);
                handler.completed((int) result, attachment);
            } else {
                handler.failed(failure, attachment);
            }
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "an I/O completion handler threw", e);
        }
    }

    /** Hands a request Linux AIO refused to the thread backend; false when that cannot start. */
    private boolean reissueOnThreads(int slot) {
        try {
            threads().submit(slot);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot start the thread backend on loop " + host.name(), e);
            return false;
        }
    }

    /** Cancels what can be cancelled of {@code file}'s operations in flight. Loop thread. */
    void cancelInFlight(AsyncFile file, FileBackend backend, int fd) {
        backend.cancel(fd);
        FileBackend workers;
        synchronized (this) {
            workers = threads;
        }
        if (workers != null && workers != backend) {
            workers.cancel(fd); // requests AIO passed on to the thread backend
        }
    }

    /**
     * Gives up on {@code file}'s operations still in flight (or every file's, for null): each fails
     * with {@link AsynchronousCloseException}; its slot, and so its buffer, stays taken until the
     * kernel completes it. Loop thread.
     */
    @SuppressWarnings("unchecked")
    void abandon(AsyncFile file) {
        for (int slot = 0; slot < ops.highWater(); slot++) {
            if (!ops.isTaken(slot) || ops.isAbandoned(slot) || (file != null && ops.owner(slot) != file)) {
                continue;
            }
            AsyncFile owner = (AsyncFile) ops.owner(slot);
            ops.abandon(slot);
            KEPT_FOR_THE_KERNEL.add(ops.buffer(slot) != null ? ops.buffer(slot) : owner);
            IoHandler<Object> handler = (IoHandler<Object>) ops.handler(slot);
            Object attachment = ops.attachment(slot);
            AsynchronousCloseException abandoned = new AsynchronousCloseException();
            abandoned.initCause(new IOException("the kernel did not finish this " + owner.path()
                    + " request within the loop's close timeout; its buffer is kept, since the kernel may still use it"));
            owner.completed();
            try {
                handler.failed(abandoned, attachment);
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "an I/O completion handler threw", e);
            }
        }
    }

    @Override
    public void beginShutdown() {
        List<AsyncFile> files;
        synchronized (this) {
            closed = true;
            files = new ArrayList<>(openFiles);
        }
        for (AsyncFile file : files) {
            file.closeAsync();
        }
    }

    @Override
    public void cancelInFlight() {
        List<AsyncFile> files;
        synchronized (this) {
            files = new ArrayList<>(openFiles);
        }
        for (AsyncFile file : files) {
            file.cancelInFlight();
        }
    }

    @Override
    public void abandonInFlight() {
        abandon(null);
    }

    @Override
    public void finishShutdown() {
        List<AsyncFile> files;
        synchronized (this) {
            files = new ArrayList<>(openFiles);
        }
        for (AsyncFile file : files) {
            file.closeNow();
        }
    }
}
