package io.fdloop.file;

import io.fdloop.EventLoop;
import io.fdloop.internal.file.FileBackend;
import io.fdloop.internal.file.OpKind;
import io.fdloop.internal.linux.Arch;
import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.Errors;
import io.fdloop.internal.linux.FileOpen;
import io.fdloop.internal.linux.Flock;
import io.fdloop.internal.linux.GuardedFd;
import io.fdloop.internal.loop.LoopAccess;
import io.fdloop.internal.loop.LoopHost;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * A file whose reads, writes and syncs complete on an {@link EventLoop}'s thread.
 *
 * <p><b>Thread-safe</b>: every method may be called from any thread. Called on the loop thread,
 * an operation is queued at once and goes out with the loop's next batch (one {@code io_submit}
 * for everything queued in an iteration); from another thread it hops onto the loop first.
 * Completions (futures and handlers) always run on the loop thread, except that an operation
 * issued after the loop closed fails at once on the calling thread.
 *
 * <p>Direct files ({@link FileOption#DIRECT}) use Linux AIO: each request carries
 * {@code IOCB_FLAG_RESFD} and the loop's AIO eventfd, which sits in the loop's epoll set. Buffered
 * files use a small pool of threads, because Linux AIO on a buffered file runs synchronously
 * inside {@code io_submit} and would block the loop; their completions also arrive through an
 * eventfd in the same epoll set. {@link #backend()} tells which one a file got.
 *
 * <p>Buffers: native {@link MemorySegment}s and direct {@link ByteBuffer}s. Heap buffers are
 * refused (the operation fails with {@link IllegalArgumentException}): the kernel writes into the
 * buffer after the call returns, and the garbage collector may move heap memory. A buffer must
 * stay valid (its arena open) until its operation completes. A ByteBuffer's position advances by
 * the bytes transferred, as with {@code java.nio} channels.
 *
 * <p>Results follow {@code pread(2)}: the number of bytes transferred, fewer than asked (possibly
 * 0) at end of file. Bad arguments, misaligned direct I/O, a closed file or loop all fail the
 * operation's future or handler with an exception that says what was wrong; nothing is thrown
 * from the call itself except for null arguments.
 */
public final class AsyncFile implements AutoCloseable {
    /** The most Linux transfers in one read or write ({@code MAX_RW_COUNT}). */
    public static final int MAX_TRANSFER = 0x7fff_f000;
    /** The most buffers in one vectored operation ({@code IOV_MAX}). */
    public static final int MAX_BUFFERS = 1024;

    private static final int OPEN = 0, CLOSING = 1, CLOSED = 2;

    private final EventLoop loop;
    private final LoopHost host;
    private final FileEngine engine;
    private final FileBackend backend;
    private final Path path;
    private final int fd;
    private final GuardedFd guard; // fd for blocking calls from other threads, which may race the close
    private final boolean readable;
    private final boolean writable;
    private final DirectAlignment alignment;
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private volatile int state = OPEN;
    private int inFlight; // loop thread

    private AsyncFile(EventLoop loop, LoopHost host, FileEngine engine, FileBackend backend, Path path, int fd,
                      boolean readable, boolean writable, DirectAlignment alignment) {
        this.loop = loop;
        this.host = host;
        this.engine = engine;
        this.backend = backend;
        this.path = path;
        this.fd = fd;
        this.guard = new GuardedFd(host.syscalls(), fd);
        this.readable = readable;
        this.writable = writable;
        this.alignment = alignment;
    }

    /** Opens {@code path} on {@code loop}; see {@link #open(EventLoop, Path, Set)}. */
    public static AsyncFile open(EventLoop loop, Path path, FileOption... options) throws IOException {
        Set<FileOption> set = EnumSet.noneOf(FileOption.class);
        for (FileOption option : options) {
            set.add(Objects.requireNonNull(option, "option"));
        }
        return open(loop, path, set);
    }

    /**
     * Opens {@code path} for asynchronous I/O on {@code loop}. Any thread; blocks like open(2).
     *
     * @throws IOException when the file cannot be opened (the message names the path and the
     *                     reason), or when DIRECT is asked of a file system without direct I/O
     */
    public static AsyncFile open(EventLoop loop, Path path, Set<FileOption> options) throws IOException {
        Objects.requireNonNull(path, "path");
        LoopHost host = LoopAccess.host(loop);
        if (host.isShuttingDown()) {
            throw loopClosed();
        }
        boolean writable = options.contains(FileOption.WRITE);
        boolean readable = options.contains(FileOption.READ) || !writable;
        boolean direct = options.contains(FileOption.DIRECT);
        int flags = readable && writable ? Arch.O_RDWR : writable ? Arch.O_WRONLY : Arch.O_RDONLY;
        if (options.contains(FileOption.CREATE_NEW)) {
            flags |= Arch.O_CREAT | Arch.O_EXCL;
        } else if (options.contains(FileOption.CREATE)) {
            flags |= Arch.O_CREAT;
        }
        if (options.contains(FileOption.TRUNCATE) && writable) {
            flags |= Arch.O_TRUNC;
        }
        if (options.contains(FileOption.DSYNC)) {
            flags |= Arch.O_DSYNC;
        }
        if (direct) {
            flags |= Arch.current().oDirect();
        }
        int fd = FileOpen.open(host.syscalls(), path, flags);
        AsyncFile file;
        try {
            DirectAlignment alignment = null;
            if (direct) {
                FileOpen.DirectAlignment found = FileOpen.directAlignment(host.syscalls(), fd);
                alignment = new DirectAlignment(found.memory(), found.offset(), found.logicalBlockSize(), found.source());
            }
            FileEngine engine = FileEngine.of(host);
            FileBackend backend = engine.backendFor(direct);
            file = new AsyncFile(loop, host, engine, backend, path, fd, readable, writable, alignment);
            engine.opened(file);
        } catch (IOException | RuntimeException e) {
            host.syscalls().close(fd);
            if (e instanceof RejectedExecutionException) {
                throw loopClosed();
            }
            throw e;
        }
        if (host.isShuttingDown()) {
            // The loop began to close while this file was opening: its shutdown may already have
            // closed the files it knew of, so this one is closed here (closing twice is harmless).
            file.closeNow();
            throw loopClosed();
        }
        return file;
    }

    public Path path() {
        return path;
    }

    public EventLoop loop() {
        return loop;
    }

    public boolean isDirect() {
        return alignment != null;
    }

    /** The mechanism serving this file: {@code "aio"} (Linux AIO) or {@code "threads"}. */
    public String backend() {
        return backend.name();
    }

    /**
     * What direct I/O needs of this file's buffers, offsets and lengths.
     *
     * @throws IllegalStateException when the file was not opened with {@link FileOption#DIRECT}
     */
    public DirectAlignment directAlignment() {
        if (alignment == null) {
            throw new IllegalStateException(path + " was not opened with DIRECT: it has no alignment requirement");
        }
        return alignment;
    }

    /** The file's current size. Any thread; blocks like statx(2). */
    public long size() throws IOException {
        int fd = acquireFd();
        try {
            return FileOpen.size(host.syscalls(), fd);
        } finally {
            guard.release();
        }
    }

    /**
     * Sets the file's length to {@code size}, as ftruncate(2): the bytes past a smaller size are
     * discarded, a larger size extends the file with zeros (unlike {@code FileChannel.truncate},
     * which never grows a file). Operations in flight are not waited for. Any thread; blocks like
     * ftruncate(2).
     *
     * @throws NonWritableChannelException when the file was not opened for writing
     */
    public void truncate(long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        if (!writable) {
            throw new NonWritableChannelException();
        }
        int fd = acquireFd();
        try {
            FileOpen.truncate(host.syscalls(), fd, size, path);
        } finally {
            guard.release();
        }
    }

    public boolean isOpen() {
        return state == OPEN;
    }

    /**
     * Reserves disk blocks for {@code [position, position + length)} (fallocate(2), mode 0), growing
     * the file if needed. Preallocating keeps later direct writes there from allocating blocks inside
     * {@code io_submit}, which would block the loop. Any thread; blocks like fallocate(2).
     */
    public void allocate(long position, long length) throws IOException {
        if (position < 0 || length <= 0) {
            throw new IllegalArgumentException("allocate needs position >= 0 and length > 0, was position "
                    + position + ", length " + length);
        }
        int fd = acquireFd();
        try {
            FileOpen.allocate(host.syscalls(), fd, position, length, path);
        } finally {
            guard.release();
        }
    }

    // ---- blocking calls for FdloopAsyncChannel: any thread --------------------------------

    boolean readable() {
        return readable;
    }

    boolean writable() {
        return writable;
    }

    /** fsync(2) or fdatasync(2) on the calling thread. */
    void syncNow(boolean metadata) throws IOException {
        int fd = acquireFd();
        try {
            FileOpen.sync(host.syscalls(), fd, metadata, path);
        } finally {
            guard.release();
        }
    }

    /** The device and inode of this file. */
    FileOpen.FileId id() throws IOException {
        int fd = acquireFd();
        try {
            return FileOpen.id(host.syscalls(), fd);
        } finally {
            guard.release();
        }
    }

    /**
     * One OFD lock command on this file (see {@link Flock#apply}): 0, or {@code -errno}.
     * {@link Flock#F_OFD_SETLKW} blocks the calling thread until the range is granted; the fd stays
     * open until it returns, even if the file is closed meanwhile.
     */
    int ofdLock(int command, short type, long start, long length) throws ClosedChannelException {
        int fd = acquireFd();
        try {
            return Flock.apply(host.syscalls(), fd, command, type, start, length);
        } finally {
            guard.release();
        }
    }

    /** The fd, for one blocking call: it is not closed (nor its number reused) until {@code guard.release()}. */
    private int acquireFd() throws ClosedChannelException {
        if (state != OPEN || !guard.acquire()) {
            throw new ClosedChannelException();
        }
        return fd;
    }

    // ---- futures --------------------------------------------------------------------------

    /** Reads into {@code dst} from {@code position}; completes with the bytes read. */
    public CompletableFuture<Integer> read(MemorySegment dst, long position) {
        CompletableFuture<Integer> future = new CompletableFuture<>();
        read(dst, position, future, FutureHandler.INSTANCE);
        return future;
    }

    /** Reads into {@code dst}'s remaining bytes from {@code position}, advancing its position. */
    public CompletableFuture<Integer> read(ByteBuffer dst, long position) {
        CompletableFuture<Integer> future = new CompletableFuture<>();
        read(dst, position, future, FutureHandler.INSTANCE);
        return future;
    }

    /** Writes {@code src} at {@code position}; completes with the bytes written. */
    public CompletableFuture<Integer> write(MemorySegment src, long position) {
        CompletableFuture<Integer> future = new CompletableFuture<>();
        write(src, position, future, FutureHandler.INSTANCE);
        return future;
    }

    /** Writes {@code src}'s remaining bytes at {@code position}, advancing its position. */
    public CompletableFuture<Integer> write(ByteBuffer src, long position) {
        CompletableFuture<Integer> future = new CompletableFuture<>();
        write(src, position, future, FutureHandler.INSTANCE);
        return future;
    }

    /** Reads from {@code position} into {@code dsts} in order (preadv). */
    public CompletableFuture<Integer> read(MemorySegment[] dsts, long position) {
        CompletableFuture<Integer> future = new CompletableFuture<>();
        read(dsts, position, future, FutureHandler.INSTANCE);
        return future;
    }

    /** Reads from {@code position} into {@code dsts} in order (preadv), advancing their positions. */
    public CompletableFuture<Integer> read(ByteBuffer[] dsts, long position) {
        CompletableFuture<Integer> future = new CompletableFuture<>();
        read(dsts, position, future, FutureHandler.INSTANCE);
        return future;
    }

    /** Writes {@code srcs} in order at {@code position} (pwritev). */
    public CompletableFuture<Integer> write(MemorySegment[] srcs, long position) {
        CompletableFuture<Integer> future = new CompletableFuture<>();
        write(srcs, position, future, FutureHandler.INSTANCE);
        return future;
    }

    /** Writes {@code srcs}' remaining bytes in order at {@code position} (pwritev), advancing their positions. */
    public CompletableFuture<Integer> write(ByteBuffer[] srcs, long position) {
        CompletableFuture<Integer> future = new CompletableFuture<>();
        write(srcs, position, future, FutureHandler.INSTANCE);
        return future;
    }

    /** Flushes data and metadata to stable storage (fsync; {@code IOCB_CMD_FSYNC} on Linux AIO). */
    public CompletableFuture<Void> fsync() {
        CompletableFuture<Integer> future = new CompletableFuture<>();
        fsync(future, FutureHandler.INSTANCE);
        return future.thenApply(ignored -> null);
    }

    /** Flushes data, and only the metadata needed to read it back (fdatasync; {@code IOCB_CMD_FDSYNC}). */
    public CompletableFuture<Void> fdatasync() {
        CompletableFuture<Integer> future = new CompletableFuture<>();
        fdatasync(future, FutureHandler.INSTANCE);
        return future.thenApply(ignored -> null);
    }

    // ---- callbacks ------------------------------------------------------------------------

    public <A> void read(MemorySegment dst, long position, A attachment, IoHandler<? super A> handler) {
        start(OpKind.READ, Objects.requireNonNull(dst, "dst"), position, attachment, handler);
    }

    public <A> void read(ByteBuffer dst, long position, A attachment, IoHandler<? super A> handler) {
        start(OpKind.READ, Objects.requireNonNull(dst, "dst"), position, attachment, handler);
    }

    public <A> void write(MemorySegment src, long position, A attachment, IoHandler<? super A> handler) {
        start(OpKind.WRITE, Objects.requireNonNull(src, "src"), position, attachment, handler);
    }

    public <A> void write(ByteBuffer src, long position, A attachment, IoHandler<? super A> handler) {
        start(OpKind.WRITE, Objects.requireNonNull(src, "src"), position, attachment, handler);
    }

    public <A> void read(MemorySegment[] dsts, long position, A attachment, IoHandler<? super A> handler) {
        start(OpKind.READV, Objects.requireNonNull(dsts, "dsts"), position, attachment, handler);
    }

    public <A> void read(ByteBuffer[] dsts, long position, A attachment, IoHandler<? super A> handler) {
        start(OpKind.READV, Objects.requireNonNull(dsts, "dsts"), position, attachment, handler);
    }

    public <A> void write(MemorySegment[] srcs, long position, A attachment, IoHandler<? super A> handler) {
        start(OpKind.WRITEV, Objects.requireNonNull(srcs, "srcs"), position, attachment, handler);
    }

    public <A> void write(ByteBuffer[] srcs, long position, A attachment, IoHandler<? super A> handler) {
        start(OpKind.WRITEV, Objects.requireNonNull(srcs, "srcs"), position, attachment, handler);
    }

    public <A> void fsync(A attachment, IoHandler<? super A> handler) {
        start(OpKind.FSYNC, null, 0, attachment, handler);
    }

    public <A> void fdatasync(A attachment, IoHandler<? super A> handler) {
        start(OpKind.FDATASYNC, null, 0, attachment, handler);
    }

    // ---- issuing --------------------------------------------------------------------------

    private <A> void start(int kind, Object buffer, long position, A attachment, IoHandler<? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        if (!host.inLoop()) {
            try {
                host.execute(() -> start(kind, buffer, position, attachment, handler));
            } catch (RejectedExecutionException e) {
                handler.failed(loopClosed(), attachment);
            }
            return;
        }
        if (state != OPEN) {
            handler.failed(new ClosedChannelException(), attachment);
            return;
        }
        if (host.isShuttingDown()) {
            handler.failed(loopClosed(), attachment);
            return;
        }
        RuntimeException refused = check(kind, position);
        if (refused != null) {
            handler.failed(refused, attachment);
            return;
        }
        if (buffer == null) {
            engine.issue(this, backend, kind, fd, 0, 0, 0, 0, null, attachment, handler);
            return;
        }
        boolean kernelWrites = kind == OpKind.READ || kind == OpKind.READV;
        if (buffer instanceof Object[] buffers) {
            String problem = checkVector(buffers, kernelWrites);
            if (problem == null) {
                Buffers.Vector vector = Buffers.vector(buffers);
                problem = checkTransfer(vector.totalLength(), position);
                if (problem == null) {
                    engine.issue(this, backend, kind, fd, vector.iovecs().address(), vector.totalLength(), position,
                            buffers.length, vector, attachment, handler);
                    return;
                }
            }
            handler.failed(new IllegalArgumentException(problem), attachment);
            return;
        }
        String problem = Buffers.problem(buffer, kernelWrites);
        if (problem == null) {
            problem = checkAddress(Buffers.address(buffer));
        }
        if (problem == null) {
            problem = checkTransfer(Buffers.length(buffer), position);
        }
        if (problem != null) {
            handler.failed(new IllegalArgumentException(problem), attachment);
            return;
        }
        engine.issue(this, backend, kind, fd, Buffers.address(buffer), Buffers.length(buffer), position, 0, buffer,
                attachment, handler);
    }

    private RuntimeException check(int kind, long position) {
        boolean reads = kind == OpKind.READ || kind == OpKind.READV;
        boolean writes = kind == OpKind.WRITE || kind == OpKind.WRITEV;
        if (reads && !readable) {
            return new NonReadableChannelException();
        }
        if (writes && !writable) {
            return new NonWritableChannelException();
        }
        if (position < 0) {
            return new IllegalArgumentException("position must be >= 0, was " + position);
        }
        return null;
    }

    private String checkVector(Object[] buffers, boolean kernelWrites) {
        if (buffers.length == 0 || buffers.length > MAX_BUFFERS) {
            return "a vectored operation takes 1 to " + MAX_BUFFERS + " buffers, was given " + buffers.length;
        }
        for (int i = 0; i < buffers.length; i++) {
            String problem = Buffers.problem(buffers[i], kernelWrites);
            if (problem == null) {
                problem = checkAddress(Buffers.address(buffers[i]));
            }
            if (problem == null && alignment != null && Buffers.length(buffers[i]) % alignment.offset() != 0) {
                problem = misaligned("length", Long.toString(Buffers.length(buffers[i])), alignment.offset());
            }
            if (problem != null) {
                return "buffer " + i + ": " + problem;
            }
        }
        return null;
    }

    private String checkAddress(long address) {
        if (alignment != null && address % alignment.memory() != 0) {
            return misaligned("buffer address", "0x" + Long.toHexString(address), alignment.memory());
        }
        return null;
    }

    private String checkTransfer(long length, long position) {
        if (length > MAX_TRANSFER) {
            return "one operation transfers at most " + MAX_TRANSFER + " bytes (Linux's limit), was asked " + length;
        }
        if (alignment != null) {
            if (position % alignment.offset() != 0) {
                return misaligned("file offset", Long.toString(position), alignment.offset());
            }
            if (length % alignment.offset() != 0) {
                return misaligned("length", Long.toString(length), alignment.offset());
            }
        }
        return null;
    }

    private String misaligned(String what, String value, int required) {
        return "O_DIRECT on " + path + " needs buffer addresses aligned to " + alignment.memory()
                + " bytes and file offsets and lengths to multiples of " + alignment.offset() + " bytes (from "
                + alignment.source() + "); " + what + " " + value + " is not a multiple of " + required
                + " (AlignedBuffers allocates aligned buffers)";
    }

    /** The exception for a failed completion. */
    Throwable failure(int kind, long negativeErrno) {
        if (negativeErrno == -Errno.EINVAL && alignment != null) {
            return new IOException(Errors.describe(OpKind.callName(kind), Errno.EINVAL, path.toString())
                    + "; O_DIRECT needs buffer addresses aligned to " + alignment.memory()
                    + " bytes and offsets and lengths to multiples of " + alignment.offset());
        }
        return Errors.exception(OpKind.callName(kind), negativeErrno, path.toString());
    }

    void issued() {
        inFlight++;
    }

    void completed() {
        inFlight--;
        if (inFlight == 0 && state == CLOSING) {
            closeNow();
        }
    }

    // ---- closing --------------------------------------------------------------------------

    /**
     * Closes the file once the operations in flight have completed (each still gets its result);
     * operations issued after this call fail with {@link ClosedChannelException}. Idempotent. Any thread.
     */
    public CompletableFuture<Void> closeAsync() {
        if (host.inLoop()) {
            beginClose();
        } else {
            try {
                // Through the task queue, so operations this thread issued before still go out.
                host.execute(this::beginClose);
            } catch (RejectedExecutionException e) {
                // the closing loop closes its files itself once their I/O is done
            }
        }
        return closeFuture;
    }

    private void beginClose() {
        if (state == OPEN) {
            state = CLOSING;
            if (inFlight == 0) {
                closeNow();
            }
        }
    }

    /**
     * Closes the file: from another thread, waits until the operations in flight completed and
     * the fd is closed; on the loop thread, starts the close and returns (see {@link #closeAsync()}).
     */
    @Override
    public void close() {
        CompletableFuture<Void> closing = closeAsync();
        if (!host.inLoop()) {
            closing.join();
        }
    }

    /** Closes the fd now: no operation may be in flight. */
    void closeNow() {
        synchronized (this) {
            if (state == CLOSED) {
                return;
            }
            state = CLOSED;
        }
        guard.close();
        engine.closed(this);
        closeFuture.complete(null);
    }

    private static ClosedChannelException loopClosed() {
        ClosedChannelException closed = new ClosedChannelException();
        closed.initCause(new RejectedExecutionException("the event loop is closed"));
        return closed;
    }

    @Override
    public String toString() {
        return "AsyncFile[" + path + ", " + backend.name() + (isDirect() ? ", direct" : "")
                + (state == OPEN ? "]" : ", closed]");
    }

    /** Completes the {@link CompletableFuture} passed as attachment: the future form on top of the callback form. */
    private static final class FutureHandler implements IoHandler<CompletableFuture<Integer>> {
        static final FutureHandler INSTANCE = new FutureHandler();

        @Override
        public void completed(int result, CompletableFuture<Integer> future) {
            future.complete(result);
        }

        @Override
        public void failed(Throwable error, CompletableFuture<Integer> future) {
            future.completeExceptionally(error);
        }
    }
}
