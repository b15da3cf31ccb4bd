package io.fdloop.internal.file;

import io.fdloop.EventLoop;
import io.fdloop.file.AsyncFile;
import io.fdloop.file.DirectAlignment;
import io.fdloop.file.FileBackend;
import io.fdloop.file.IoCallback;
import io.fdloop.internal.linux.GuardedFd;
import io.fdloop.internal.loop.LoopHost;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@link AsyncFile} on one loop: the public face. Operations hop onto the loop, are checked
 * ({@link RequestChecks}) and handed to the {@link FileEngine}; failures go back through the loop,
 * never by recursion; the close is {@link FileLifecycle}'s.
 *
 * <p><b>Thread-safe</b> as {@link AsyncFile} documents.
 */
public final class OpenFile implements AsyncFile {
    /** Completes the future passed as attachment: the future forms on top of the callback forms. */
    private static final IoCallback<CompletableFuture<Integer>> TO_FUTURE = (future, result, failure) -> {
        if (failure == null) {
            future.complete(result);
        } else {
            future.completeExceptionally(failure);
        }
    };

    private final EventLoop loop;
    private final LoopHost host;
    private final FileEngine engine;
    private final Backend backend;
    private final Path path;
    private final int fd;
    private final GuardedFd guard; // the fd for blocking calls from other threads, which may race the close
    private final boolean readable;
    private final boolean writable;
    private final DirectAlignment alignment;
    private final RequestChecks checks;
    private final FileLifecycle lifecycle;
    private final BlockingFileCalls blocking;

    OpenFile(EventLoop loop, LoopHost host, FileEngine engine, Backend backend, Path path, int fd,
             boolean readable, boolean writable, DirectAlignment alignment) {
        this.loop = loop;
        this.host = host;
        this.engine = engine;
        this.backend = backend;
        this.path = path;
        this.fd = fd;
        this.guard = new GuardedFd(host.syscalls(), fd);
        this.writable = writable;
        this.alignment = alignment;
        this.checks = new RequestChecks(path, readable, writable, alignment);
        this.lifecycle = new FileLifecycle(this, host, engine, guard);
        this.blocking = new BlockingFileCalls(host.syscalls(), guard, path, lifecycle::isOpen);
        this.readable = readable;
    }

    /** The file behind {@code file}, which must be one of fdloop's. */
    public static OpenFile of(AsyncFile file) {
        Objects.requireNonNull(file, "file");
        if (file instanceof OpenFile open) {
            return open;
        }
        throw new IllegalArgumentException("not an fdloop file (made by AsyncFile.open): " + file.getClass().getName());
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public boolean isDirect() {
        return alignment != null;
    }

    @Override
    public FileBackend backend() {
        return backend.kind();
    }

    @Override
    public DirectAlignment directAlignment() {
        if (alignment == null) {
            throw new IllegalStateException(path + " was not opened with DIRECT: it has no alignment requirement");
        }
        return alignment;
    }

    @Override
    public boolean isOpen() {
        return lifecycle.isOpen();
    }

    @Override
    public long size() throws IOException {
        return blocking.size();
    }

    @Override
    public void truncate(long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        if (!writable) {
            throw new NonWritableChannelException();
        }
        blocking.truncate(size);
    }

    @Override
    public void allocate(long position, long length) throws IOException {
        if (position < 0 || length <= 0) {
            throw new IllegalArgumentException("allocate needs position >= 0 and length > 0, was position "
                    + position + ", length " + length);
        }
        blocking.allocate(position, length);
    }

    // ---- for the engines and adapters inside fdloop -----------------------------------------

    /** Whether the file was opened for reading. */
    public boolean readable() {
        return readable;
    }

    /** Whether the file was opened for writing. */
    public boolean writable() {
        return writable;
    }

    /** The blocking calls other threads make on this file (the channel adapter's size, force, locks). */
    public BlockingFileCalls blocking() {
        return blocking;
    }

    /** The fd, as the loop's engines hand it to the kernel; valid while the file is open. */
    public int fd() {
        return fd;
    }

    /**
     * The fd for a use outside this file's own operations (a socket's {@code sendfile}): it is not
     * closed, nor its number reused, until {@link #releaseFd()}. Any thread.
     *
     * @throws ClosedChannelException when the file is closed or closing
     */
    public int acquireFd() throws ClosedChannelException {
        if (!lifecycle.isOpen() || !guard.acquire()) {
            throw new ClosedChannelException();
        }
        return fd;
    }

    /** Ends a use begun by {@link #acquireFd()}. Any thread. */
    public void releaseFd() {
        guard.release();
    }

    GuardedFd guard() {
        return guard;
    }

    Backend backendQueue() {
        return backend;
    }

    RequestChecks checks() {
        return checks;
    }

    FileLifecycle lifecycle() {
        return lifecycle;
    }

    // ---- futures ------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Integer> read(MemorySegment dst, long position) {
        return future(Operation.READ, Objects.requireNonNull(dst, "dst"), position);
    }

    @Override
    public CompletableFuture<Integer> read(ByteBuffer dst, long position) {
        return future(Operation.READ, Objects.requireNonNull(dst, "dst"), position);
    }

    @Override
    public CompletableFuture<Integer> write(MemorySegment src, long position) {
        return future(Operation.WRITE, Objects.requireNonNull(src, "src"), position);
    }

    @Override
    public CompletableFuture<Integer> write(ByteBuffer src, long position) {
        return future(Operation.WRITE, Objects.requireNonNull(src, "src"), position);
    }

    @Override
    public CompletableFuture<Integer> read(MemorySegment[] dsts, long position) {
        return future(Operation.READV, Objects.requireNonNull(dsts, "dsts"), position);
    }

    @Override
    public CompletableFuture<Integer> read(ByteBuffer[] dsts, long position) {
        return future(Operation.READV, Objects.requireNonNull(dsts, "dsts"), position);
    }

    @Override
    public CompletableFuture<Integer> write(MemorySegment[] srcs, long position) {
        return future(Operation.WRITEV, Objects.requireNonNull(srcs, "srcs"), position);
    }

    @Override
    public CompletableFuture<Integer> write(ByteBuffer[] srcs, long position) {
        return future(Operation.WRITEV, Objects.requireNonNull(srcs, "srcs"), position);
    }

    @Override
    public CompletableFuture<Void> fsync() {
        return future(Operation.FSYNC, null, 0).thenApply(ignored -> null);
    }

    @Override
    public CompletableFuture<Void> fdatasync() {
        return future(Operation.FDATASYNC, null, 0).thenApply(ignored -> null);
    }

    @Override
    public CompletableFuture<Integer> writeAndFdatasync(MemorySegment src, long position) {
        return future(Operation.WRITE_FDATASYNC, Objects.requireNonNull(src, "src"), position);
    }

    @Override
    public CompletableFuture<Integer> writeAndFdatasync(ByteBuffer src, long position) {
        return future(Operation.WRITE_FDATASYNC, Objects.requireNonNull(src, "src"), position);
    }

    private CompletableFuture<Integer> future(Operation op, Object buffer, long position) {
        CompletableFuture<Integer> future = host.newFuture();
        start(op, buffer, position, future, TO_FUTURE);
        return future;
    }

    // ---- callbacks ----------------------------------------------------------------------------

    @Override
    public <A> void read(MemorySegment dst, long position, A attachment, IoCallback<? super A> callback) {
        start(Operation.READ, Objects.requireNonNull(dst, "dst"), position, attachment, callback);
    }

    @Override
    public <A> void read(ByteBuffer dst, long position, A attachment, IoCallback<? super A> callback) {
        start(Operation.READ, Objects.requireNonNull(dst, "dst"), position, attachment, callback);
    }

    @Override
    public <A> void write(MemorySegment src, long position, A attachment, IoCallback<? super A> callback) {
        start(Operation.WRITE, Objects.requireNonNull(src, "src"), position, attachment, callback);
    }

    @Override
    public <A> void write(ByteBuffer src, long position, A attachment, IoCallback<? super A> callback) {
        start(Operation.WRITE, Objects.requireNonNull(src, "src"), position, attachment, callback);
    }

    @Override
    public <A> void read(MemorySegment[] dsts, long position, A attachment, IoCallback<? super A> callback) {
        start(Operation.READV, Objects.requireNonNull(dsts, "dsts"), position, attachment, callback);
    }

    @Override
    public <A> void read(ByteBuffer[] dsts, long position, A attachment, IoCallback<? super A> callback) {
        start(Operation.READV, Objects.requireNonNull(dsts, "dsts"), position, attachment, callback);
    }

    @Override
    public <A> void write(MemorySegment[] srcs, long position, A attachment, IoCallback<? super A> callback) {
        start(Operation.WRITEV, Objects.requireNonNull(srcs, "srcs"), position, attachment, callback);
    }

    @Override
    public <A> void write(ByteBuffer[] srcs, long position, A attachment, IoCallback<? super A> callback) {
        start(Operation.WRITEV, Objects.requireNonNull(srcs, "srcs"), position, attachment, callback);
    }

    @Override
    public <A> void fsync(A attachment, IoCallback<? super A> callback) {
        start(Operation.FSYNC, null, 0, attachment, callback);
    }

    @Override
    public <A> void fdatasync(A attachment, IoCallback<? super A> callback) {
        start(Operation.FDATASYNC, null, 0, attachment, callback);
    }

    @Override
    public <A> void writeAndFdatasync(MemorySegment src, long position, A attachment, IoCallback<? super A> callback) {
        start(Operation.WRITE_FDATASYNC, Objects.requireNonNull(src, "src"), position, attachment, callback);
    }

    @Override
    public <A> void writeAndFdatasync(ByteBuffer src, long position, A attachment, IoCallback<? super A> callback) {
        start(Operation.WRITE_FDATASYNC, Objects.requireNonNull(src, "src"), position, attachment, callback);
    }

    /** Any thread: hops onto the loop; there, checks and issues, or delivers the refusal from the loop. */
    private <A> void start(Operation op, Object buffer, long position, A attachment, IoCallback<? super A> callback) {
        Objects.requireNonNull(callback, "callback");
        if (!host.inLoop()) {
            try {
                host.execute(() -> start(op, buffer, position, attachment, callback));
            } catch (RejectedExecutionException e) {
                CallerDelivery.fail(host, callback, attachment, FileOpener.loopClosed());
            }
            return;
        }
        Throwable refused;
        try {
            refused = issue(op, buffer, position, attachment, callback);
        } catch (IllegalStateException closedOrConfined) {
            refused = closedOrConfined; // the buffer's arena, from KernelMemory
        }
        if (refused != null) {
            Throwable error = refused;
            // Never inside the caller's own call: a callback that retries on failure must not recurse.
            host.runLater(() -> callback.complete(attachment, -1, error));
        }
    }

    private <A> Throwable issue(Operation op, Object buffer, long position, A attachment, IoCallback<? super A> callback) {
        if (!lifecycle.isOpen()) {
            return new ClosedChannelException();
        }
        if (host.isShuttingDown()) {
            return FileOpener.loopClosed();
        }
        RuntimeException refused = checks.refusal(op, position);
        if (refused != null) {
            return refused;
        }
        if (buffer != null) {
            String problem = buffer instanceof Object[] buffers
                    ? checks.vectorProblem(buffers, op.readsIntoBuffers(), position)
                    : checks.bufferProblem(buffer, op.readsIntoBuffers(), position);
            if (problem != null) {
                return new IllegalArgumentException(problem);
            }
        }
        engine.issue(this, op, buffer, position, attachment, callback);
        return null;
    }

    // ---- closing ------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> closeAsync() {
        if (host.inLoop()) {
            lifecycle.beginClose();
        } else {
            try {
                // Through the task queue, so operations this thread issued before still go out.
                host.execute(lifecycle::beginClose);
            } catch (RejectedExecutionException e) {
                // the closing loop closes its files itself once their I/O is done
            }
        }
        return lifecycle.closed();
    }

    @Override
    public void close() {
        CompletableFuture<Void> closing = closeAsync();
        if (!host.inLoop()) {
            closing.join();
        }
    }

    @Override
    public String toString() {
        return "AsyncFile[" + path + ", " + backend.kind() + (isDirect() ? ", direct" : "")
                + (isOpen() ? "]" : ", closed]");
    }
}
