package io.fdloop.file;

import io.fdloop.FileBackendChoice;
import io.fdloop.internal.aio.AioBackend;
import io.fdloop.internal.file.CompletionSink;
import io.fdloop.internal.file.FileBackend;
import io.fdloop.internal.file.OpTable;
import io.fdloop.internal.loop.LoopHost;
import io.fdloop.internal.threads.ThreadPoolBackend;
import io.fdloop.internal.uring.UringBackend;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One loop's file machinery: the table of operations in flight, the backends (created on first
 * use and plugged into the loop), and the open files, which the loop closes when it closes.
 * Delivers every completion to its handler.
 *
 * <p><b>Loop thread only</b>, except {@link #backendFor(boolean)} and the open-file set, which
 * {@code AsyncFile.open} uses from any thread.
 */
final class FileEngine implements CompletionSink {
    private static final System.Logger LOG = System.getLogger("io.fdloop.file");

    final LoopHost host;
    final OpTable ops = new OpTable(256);
    private final Set<AsyncFile> openFiles = ConcurrentHashMap.newKeySet();
    private FileBackend aio; // guarded by this
    private String aioUnavailableCause; // guarded by this
    private FileBackend threads; // guarded by this
    private FileBackend uring; // guarded by this
    private String uringUnavailableCause; // guarded by this

    private FileEngine(LoopHost host) {
        this.host = host;
        host.onShutdown(this::closeOpenFiles);
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
            case "aio" -> require(aio(), "Linux AIO", aioUnavailableCause);
            case "uring" -> require(uring(), "io_uring", uringUnavailableCause);
            case "threads" -> threads();
            default -> {
                for (FileBackendChoice choice : FileBackendChoice.autoPreference(direct)) {
                    FileBackend backend = switch (choice) {
                        case URING -> uring();
                        case AIO -> aio();
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

    /** Linux AIO, started on first use; null when the kernel refuses it (the cause is logged once). */
    private FileBackend aio() {
        if (aio == null && aioUnavailableCause == null) {
            try {
                aio = plugIn(AioBackend.open(host.syscalls(), ops, this, host.settings().queueDepth(),
                        host.settings().forceIoGetevents()));
            } catch (IOException e) {
                aioUnavailableCause = e.getMessage();
                LOG.log(System.Logger.Level.WARNING, "Linux AIO is unavailable (" + aioUnavailableCause
                        + "); direct files on loop " + host.name() + " use the thread backend");
            }
        }
        return aio;
    }

    /** io_uring, started on first use; null when the kernel refuses it (the cause is logged once). */
    private FileBackend uring() {
        if (uring == null && uringUnavailableCause == null) {
            try {
                uring = plugIn(UringBackend.open(host.syscalls(), ops, this, host.settings().queueDepth()));
            } catch (IOException e) {
                uringUnavailableCause = e.getMessage();
                LOG.log(System.Logger.Level.WARNING, "io_uring is unavailable (" + uringUnavailableCause
                        + "); files on loop " + host.name() + " use Linux AIO (direct) or the thread backend");
            }
        }
        return uring;
    }

    private FileBackend threads() throws IOException {
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

    void opened(AsyncFile file) {
        openFiles.add(file);
    }

    void closed(AsyncFile file) {
        openFiles.remove(file);
    }

    /** Issues one operation. Loop thread. */
    <A> void issue(AsyncFile file, FileBackend backend, int kind, int fd, long address, long length, long position,
                   int vectorCount, Object buffer, A attachment, IoHandler<? super A> handler) {
        int slot = ops.acquire(kind, fd, address, length, position, vectorCount, handler, attachment, buffer, file);
        file.issued();
        backend.submit(slot);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void complete(int slot, long result) {
        IoHandler<Object> handler = (IoHandler<Object>) ops.handler(slot);
        Object attachment = ops.attachment(slot);
        Object buffer = ops.buffer(slot);
        AsyncFile file = (AsyncFile) ops.owner(slot);
        int kind = ops.kind(slot);
        ops.release(slot);
        file.completed();
        try {
            if (result >= 0) {
                Buffers.advance(buffer, result);
                handler.completed((int) result, attachment);
            } else {
                handler.failed(file.failure(kind, result), attachment);
            }
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "an I/O completion handler threw", e);
        }
    }

    /** Loop shutdown, after every operation completed: files still open are closed. */
    private void closeOpenFiles() {
        for (AsyncFile file : List.copyOf(openFiles)) {
            file.closeNow();
        }
    }
}
