package io.fdloop.internal.file;

import io.fdloop.file.FileBackend;
import io.fdloop.file.FileSettings;
import io.fdloop.file.IoCallback;
import io.fdloop.internal.file.aio.AioBackend;
import io.fdloop.internal.file.threads.ThreadPoolBackend;
import io.fdloop.internal.file.uring.UringFileBackend;
import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.loop.CompletionSource;
import io.fdloop.internal.loop.LoopHost;
import io.fdloop.internal.loop.ShutdownParticipant;
import io.fdloop.internal.uring.LoopRing;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One loop's file machinery: the table of operations in flight, the backends (started on first
 * use, as the loop's {@link FileSettings} choose), and the open files, which the loop closes when
 * it closes. Hands each operation's memory to the kernel (directly, or through a bounce buffer; see
 * {@link KernelMemory}) and delivers every completion to its callback.
 *
 * <p><b>Loop thread only</b>, except {@link #backendFor} and {@link #register}, which
 * {@code FileOpener} uses from any thread.
 */
final class FileEngine implements CompletionSink, ShutdownParticipant {
    /** Memory of requests abandoned at close, which the kernel may still write: never freed. */
    private static final ConcurrentLinkedQueue<Object> KEPT_FOR_THE_KERNEL = new ConcurrentLinkedQueue<>();

    private final LoopHost host;
    private final FileSettings settings;
    private final OpTable ops = new OpTable(256);
    private final BounceBuffers bounceBuffers = new BounceBuffers();
    private final Set<OpenFile> openFiles = new HashSet<>(); // guarded by this
    private boolean closed; // guarded by this: no file may register any more
    private Backend aio; // guarded by this
    private String aioUnavailableCause; // guarded by this
    private Backend threads; // guarded by this
    private Backend uring; // guarded by this
    private String uringUnavailableCause; // guarded by this

    private FileEngine(LoopHost host) {
        this.host = host;
        this.settings = host.settings(FileSettings.class, FileSettings.defaults());
        host.addShutdownParticipant(this);
    }

    static FileEngine of(LoopHost host) {
        return host.attachment(FileEngine.class, FileEngine::new);
    }

    /**
     * The backend for a new file: {@code requested}, or (when null) the loop's. {@code AUTO}: io_uring
     * when usable; else Linux AIO for direct files (else threads) and threads for buffered ones. A
     * backend that fails to start is logged once, with the kernel's reason, and the next one is used.
     *
     * @throws IOException when a backend asked for by name is unavailable here, saying why
     */
    synchronized Backend backendFor(FileBackend requested, boolean direct) throws IOException {
        FileBackend choice = requested != null && requested != FileBackend.AUTO ? requested : settings.backend();
        boolean forced = choice != FileBackend.AUTO;
        return switch (choice) {
            case AIO -> require(aio(forced), "Linux AIO", aioUnavailableCause);
            case URING -> require(uring(forced), "io_uring", uringUnavailableCause);
            case THREADS -> threads();
            case AUTO -> {
                for (FileBackend candidate : FileBackend.autoPreference(direct)) {
                    Backend backend = switch (candidate) {
                        case URING -> uring(false);
                        case AIO -> aio(false);
                        case THREADS, AUTO -> threads();
                    };
                    if (backend != null) {
                        yield backend;
                    }
                }
                yield threads();
            }
        };
    }

    private static Backend require(Backend backend, String what, String cause) throws IOException {
        if (backend == null) {
            throw new IOException("this file was to use " + what + ", but " + what + " is unavailable: " + cause);
        }
        return backend;
    }

    /**
     * Linux AIO, started on first use; null when the kernel refuses it. The cause is logged once,
     * saying what happens instead: the next backend for {@code auto}, a refused open when forced.
     */
    private Backend aio(boolean forced) {
        if (aio == null && aioUnavailableCause == null) {
            try {
                aio = plugIn(AioBackend.open(host.syscalls(), ops, this, settings.queueDepth(),
                        settings.forceIoGetevents()));
            } catch (IOException e) {
                aioUnavailableCause = e.getMessage();
                System.getLogger("io.fdloop.file").log(System.Logger.Level.WARNING, "Linux AIO is unavailable ("
                        + aioUnavailableCause + "); " + (forced
                        ? "files asked to use Linux AIO on loop " + host.name() + " cannot be opened"
                        : "direct files on loop " + host.name() + " use the thread backend"));
            }
        }
        return aio;
    }

    /** io_uring, on the loop's ring, started on first use; null when the kernel refuses it (logged as for AIO). */
    private Backend uring(boolean forced) {
        if (uring == null && uringUnavailableCause == null) {
            try {
                uring = UringFileBackend.on(LoopRing.of(host, settings.queueDepth()), ops, this, settings.queueDepth());
            } catch (IOException e) {
                uringUnavailableCause = e.getMessage();
                System.getLogger("io.fdloop.file").log(System.Logger.Level.WARNING, "io_uring is unavailable ("
                        + uringUnavailableCause + "); " + (forced
                        ? "files asked to use io_uring on loop " + host.name() + " cannot be opened"
                        : "files on loop " + host.name() + " use Linux AIO (direct) or the thread backend"));
            }
        }
        return uring;
    }

    private synchronized Backend threads() throws IOException {
        if (threads == null) {
            threads = plugIn(ThreadPoolBackend.open(host.syscalls(), ops, this, settings.threads(), host.name()));
        }
        return threads;
    }

    /** Adds a new backend's eventfd to the loop; a backend the loop refuses is closed again. */
    private <B extends CompletionSource> B plugIn(B backend) throws IOException {
        try {
            host.addSource(backend);
            return backend;
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /**
     * Enters a newly opened file, in one step with the loop's close: false when the loop has begun
     * to close (the caller then closes the fd and fails the open). Any thread.
     */
    synchronized boolean register(OpenFile file) {
        if (closed || host.isShuttingDown()) {
            return false;
        }
        openFiles.add(file);
        return true;
    }

    synchronized void closed(OpenFile file) {
        openFiles.remove(file);
    }

    // ---- issuing ------------------------------------------------------------------------------

    /**
     * Enters one checked operation and hands it to the file's backend. Memory fdloop can keep alive
     * goes to the kernel directly; the rest through a bounce buffer.
     *
     * @throws IllegalStateException when a buffer's arena is closed or confined (nothing was entered)
     */
    void issue(OpenFile file, Operation op, Object buffer, long position, Object attachment, IoCallback<?> callback) {
        if (buffer == null) {
            enter(file, op, attachment, callback);
            return;
        }
        if (buffer instanceof Object[] buffers) {
            long total = 0;
            boolean held = true;
            for (Object element : buffers) {
                total += Buffers.length(element);
                held &= KernelMemory.canHold(Buffers.segment(element));
            }
            if (held) {
                Buffers.Vector vector = Buffers.vector(buffers);
                int slot = enter(file, op, attachment, callback);
                ops.transfer(slot, vector.iovecs().address(), total, position, buffers.length, vector);
            } else {
                bounce(file, op.readsIntoBuffers() ? Operation.READ : Operation.WRITE, buffers.clone(), total, position,
                        attachment, callback);
            }
            return;
        }
        long length = Buffers.length(buffer);
        if (KernelMemory.canHold(Buffers.segment(buffer))) {
            int slot = enter(file, op, attachment, callback);
            ops.transfer(slot, Buffers.address(buffer), length, position, 0, buffer);
        } else {
            bounce(file, op, buffer, length, position, attachment, callback);
        }
    }

    /** The kernel uses a loop buffer in place of the caller's, which its arena could free meanwhile. */
    private void bounce(OpenFile file, Operation op, Object user, long length, long position, Object attachment,
                        IoCallback<?> callback) {
        boolean read = op.readsIntoBuffers();
        int alignment = file.isDirect() ? file.directAlignment().memory() : 1;
        BounceBuffers.Bounce bounce = bounceBuffers.take(length, alignment, user, read);
        if (!read) {
            Buffers.copyIn(user, bounce.kernel);
        }
        int slot = enter(file, op, attachment, callback);
        ops.transfer(slot, bounce.kernel.address(), length, position, 0, bounce);
    }

    private int enter(OpenFile file, Operation op, Object attachment, IoCallback<?> callback) {
        int slot = ops.acquire(file, op, callback, attachment);
        file.lifecycle().issued();
        file.backendQueue().submit(slot);
        return slot;
    }

    // ---- completing ---------------------------------------------------------------------------

    @Override
    @SuppressWarnings("unchecked")
    public void complete(int slot, long result) {
        OpenFile file = ops.owner(slot);
        if (result == -Errno.EINVAL && routesRefusalsToThreads(file) && reissueOnThreads(slot)) {
            // Linux AIO takes asynchronously only what the file's driver can (character devices without
            // an iterator, some procfs files): the thread backend performs it instead, as the others would.
            return;
        }
        IoCallback<Object> callback = (IoCallback<Object>) ops.callback(slot);
        Object attachment = ops.attachment(slot);
        Object held = ops.held(slot);
        Operation op = ops.operation(slot);
        boolean abandoned = ops.isAbandoned(slot);
        Throwable failure;
        if (op == Operation.WRITE_FDATASYNC) {
            // With the write's result recorded, the result is the sync's; else the write's (the sync never ran).
            boolean syncResult = ops.firstStep(slot) != OpTable.NO_RESULT;
            long written = syncResult ? ops.firstStep(slot) : result;
            failure = file.checks().writeThenSyncFailure(written, ops.length(slot), ops.position(slot), syncResult,
                    result, !file.isOpen());
            result = written;
        } else {
            failure = result < 0 ? file.checks().completionFailure(op, result, !file.isOpen()) : null;
        }
        ops.release(slot);
        Object user = held;
        if (held instanceof BounceBuffers.Bounce bounce) {
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
            KEPT_FOR_THE_KERNEL.remove(held != null ? held : file);
            return; // its caller was told at close; the kernel is done with the memory only now
        }
        file.lifecycle().completed();
        if (failure == null) {
            Buffers.advance(user, result);
        }
        deliver(callback, attachment, failure == null ? (int) result : -1, failure);
    }

    private void deliver(IoCallback<Object> callback, Object attachment, int result, Throwable failure) {
        try {
            callback.complete(attachment, result, failure);
        } catch (RuntimeException | Error e) {
            host.uncaught("an I/O completion handler", e);
        }
    }

    /** Whether an EINVAL from this file's backend means "not asynchronously": buffered files on Linux AIO. */
    private static boolean routesRefusalsToThreads(OpenFile file) {
        return !file.isDirect() && file.backendQueue().kind() == FileBackend.AIO;
    }

    /** Hands a request Linux AIO refused to the thread backend; false when that cannot start. */
    private boolean reissueOnThreads(int slot) {
        try {
            threads().submit(slot);
            return true;
        } catch (IOException | RuntimeException e) {
            host.uncaught("starting the thread backend", e);
            return false;
        }
    }

    // ---- closing ------------------------------------------------------------------------------

    /** Cancels what can be cancelled of {@code file}'s operations in flight. Loop thread. */
    void cancelInFlight(OpenFile file) {
        file.backendQueue().cancel(file.fd());
        Backend workers;
        synchronized (this) {
            workers = threads;
        }
        if (workers != null && workers != file.backendQueue()) {
            workers.cancel(file.fd()); // requests AIO passed on to the thread backend
        }
    }

    /**
     * Gives up on {@code file}'s operations still in flight (or every file's, for null): each fails
     * with {@link AsynchronousCloseException}; its slot, and so its memory, stays taken until the
     * kernel completes it. Loop thread.
     */
    @SuppressWarnings("unchecked")
    void abandon(OpenFile file) {
        for (int slot = 0; slot < ops.highWater(); slot++) {
            if (!ops.isTaken(slot) || ops.isAbandoned(slot) || (file != null && ops.owner(slot) != file)) {
                continue;
            }
            OpenFile owner = ops.owner(slot);
            ops.abandon(slot);
            KEPT_FOR_THE_KERNEL.add(ops.held(slot) != null ? ops.held(slot) : owner);
            AsynchronousCloseException abandoned = new AsynchronousCloseException();
            abandoned.initCause(new IOException("the kernel did not finish this " + owner.path()
                    + " request within the loop's close timeout; its memory is kept, since the kernel may still use it"));
            owner.lifecycle().completed();
            deliver((IoCallback<Object>) ops.callback(slot), ops.attachment(slot), -1, abandoned);
        }
    }

    @Override
    public void beginShutdown() {
        for (OpenFile file : openFilesNow(true)) {
            file.closeAsync();
        }
    }

    @Override
    public void cancelInFlight() {
        for (OpenFile file : openFilesNow(false)) {
            file.lifecycle().cancelInFlight();
        }
    }

    @Override
    public void abandonInFlight() {
        abandon(null);
    }

    @Override
    public void finishShutdown() {
        for (OpenFile file : openFilesNow(false)) {
            file.lifecycle().closeNow();
        }
    }

    private synchronized List<OpenFile> openFilesNow(boolean closeRegistration) {
        closed |= closeRegistration;
        return new ArrayList<>(openFiles);
    }
}
