package io.fdloop.file;

import io.fdloop.EventLoop;
import io.fdloop.internal.file.FileOpener;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A file whose reads, writes and syncs complete on an {@link EventLoop}'s thread.
 *
 * <p><b>Thread-safe</b>: every method may be called from any thread. Called on the loop thread,
 * an operation is queued at once and goes out with the loop's next batch (one {@code io_uring_enter}
 * or {@code io_submit} for everything queued in an iteration); from another thread it hops onto the
 * loop first. Completions (futures and handlers) run on the loop thread; so do failures, which are
 * never delivered inside the call that caused them (a handler that retries from {@code failed}
 * does not recurse). Only an operation handed to a loop that has closed fails on the calling thread.
 *
 * <p><b>Backends.</b> Each file gets the best mechanism the loop's host allows (see
 * {@link FileBackend} and {@link FileSettings}): io_uring when it is usable; otherwise Linux AIO for
 * {@link FileOption#DIRECT} files (each request carries {@code IOCB_FLAG_RESFD} and the loop's AIO
 * eventfd) and a small pool of threads for buffered ones (Linux AIO would perform buffered I/O
 * inside {@code io_submit}, on the loop thread). Every backend's completions arrive through an
 * eventfd in the loop's epoll set. {@link #backend()} tells which one a file got.
 *
 * <p><b>Files.</b> Regular files and block devices, and the memory devices that never wait
 * ({@code /dev/null}, {@code /dev/zero}, {@code /dev/full}, {@code /dev/random}, {@code /dev/urandom}).
 * A directory, FIFO, socket or other device is refused at open with a
 * {@link java.nio.file.FileSystemException} saying what it is: their reads can wait forever.
 *
 * <p><b>Buffers</b>: native {@link MemorySegment}s and direct {@link ByteBuffer}s. Heap memory is
 * refused (the operation fails with {@link IllegalArgumentException}): the garbage collector may move
 * it while the kernel uses it. What fdloop does with the rest, so that the kernel never writes into
 * memory that has been freed:
 * <ul>
 *   <li>Memory freed only once unreachable — {@link java.lang.foreign.Arena#global()},
 *       {@link java.lang.foreign.Arena#ofAuto()} (as {@link AlignedBuffers#allocate(long, long)}
 *       gives), {@link ByteBuffer#allocateDirect} and mapped buffers — is handed to the kernel directly
 *       (zero copy); the operation references it until its completion is reaped.</li>
 *   <li>Memory of an {@link java.lang.foreign.Arena#ofShared() Arena.ofShared()}, which any thread may
 *       close at any time, is copied through a buffer of the loop's (into it before a write, out of it
 *       after a read), since the public API offers no way to keep such an arena open while the kernel
 *       uses it. Closing the arena early is then harmless: a read whose arena closed fails with
 *       {@link IllegalStateException} and its bytes are dropped. Prefer automatic arenas for I/O
 *       buffers.</li>
 *   <li>A segment whose arena is already closed fails with {@code IllegalStateException("Already
 *       closed")}; a segment of an {@link java.lang.foreign.Arena#ofConfined() Arena.ofConfined()}
 *       with {@code IllegalStateException("Confined session not supported...")}, as the JDK's
 *       asynchronous channels refuse it.</li>
 * </ul>
 * A ByteBuffer's position advances by the bytes transferred, as with {@code java.nio} channels.
 *
 * <p>Results follow {@code pread(2)}: the number of bytes transferred, fewer than asked (possibly
 * 0) at end of file. Bad arguments, misaligned direct I/O, a closed file or loop all fail the
 * operation's future or handler with an exception that says what was wrong; nothing is thrown
 * from the call itself except for null arguments.
 *
 * <p><b>Closing</b> stops taking operations; those in flight complete with their results. What is
 * still in flight at half the loop's {@link EventLoop.Builder#closeTimeout close timeout} is cancelled
 * where the kernel can (io_uring; requests the thread backend has not started), completing with
 * {@link java.nio.channels.AsynchronousCloseException}; what is left at the whole timeout is
 * abandoned: it fails with {@code AsynchronousCloseException}, and its buffer is kept alive for good.
 */
public interface AsyncFile extends AutoCloseable {
    /** The most Linux transfers in one read or write ({@code MAX_RW_COUNT}). */
    int MAX_TRANSFER = 0x7fff_f000;
    /** The most buffers in one vectored operation ({@code IOV_MAX}). */
    int MAX_BUFFERS = 1024;

    /**
     * Opens {@code path} on {@code loop}; see {@link #open(EventLoop, Path, Set)}. Any thread.
     *
     * @param loop    the loop whose thread runs the file's completions
     * @param path    the file, of the default file system
     * @param options how to open it; neither READ nor WRITE means READ
     * @return the open file
     * @throws IOException when the file cannot be opened
     */
    static AsyncFile open(EventLoop loop, Path path, FileOption... options) throws IOException {
        Set<FileOption> set = EnumSet.noneOf(FileOption.class);
        for (FileOption option : options) {
            set.add(Objects.requireNonNull(option, "option"));
        }
        return open(loop, path, set);
    }

    /**
     * Opens {@code path} for asynchronous I/O on {@code loop}, on the backend the loop's
     * {@link FileSettings} choose. Any thread; blocks like open(2).
     *
     * @param loop    the loop whose thread runs the file's completions
     * @param path    the file, of the default file system
     * @param options how to open it; neither READ nor WRITE means READ
     * @return the open file
     * @throws IOException when the file cannot be opened (the message names the path and the reason),
     *                     is not a regular file or block device, or DIRECT is asked of a file system
     *                     without direct I/O
     * @throws java.nio.file.ProviderMismatchException for a path of another file system than the default one
     */
    static AsyncFile open(EventLoop loop, Path path, Set<FileOption> options) throws IOException {
        return FileOpener.open(loop, path, options, null, FileOpener.DEFAULT_MODE);
    }

    /**
     * Opens {@code path} on {@code loop} on the given backend, whatever the loop's settings say (for
     * benchmarks, tests, and files that need one mechanism). Any thread; blocks like open(2).
     *
     * @param loop    the loop whose thread runs the file's completions
     * @param path    the file, of the default file system
     * @param backend the mechanism for this file; {@link FileBackend#AUTO} is the loop's choice
     * @param options how to open it; neither READ nor WRITE means READ
     * @return the open file
     * @throws IOException when the file cannot be opened, or the backend is unavailable here (saying why)
     */
    static AsyncFile open(EventLoop loop, Path path, FileBackend backend, Set<FileOption> options) throws IOException {
        return FileOpener.open(loop, path, options, Objects.requireNonNull(backend, "backend"), FileOpener.DEFAULT_MODE);
    }

    /**
     * The file's path, as given to {@code open}. Any thread.
     *
     * @return the path
     */
    Path path();

    /**
     * The loop whose thread runs this file's completions. Any thread.
     *
     * @return the loop
     */
    EventLoop loop();

    /**
     * Whether the file was opened with {@link FileOption#DIRECT}. Any thread.
     *
     * @return true for O_DIRECT
     */
    boolean isDirect();

    /**
     * The mechanism serving this file: {@link FileBackend#URING}, {@link FileBackend#AIO} or
     * {@link FileBackend#THREADS}, never {@code AUTO}. On Linux AIO, a request the file's driver
     * cannot take asynchronously ({@code EINVAL} from {@code io_submit}, as for {@code /dev/full} or
     * procfs files) is performed by the thread backend, so that its result is the one the other
     * backends give. Any thread.
     *
     * @return the backend
     */
    FileBackend backend();

    /**
     * What direct I/O needs of this file's buffers, offsets and lengths. Any thread.
     *
     * @return the alignment
     * @throws IllegalStateException when the file was not opened with {@link FileOption#DIRECT}
     */
    DirectAlignment directAlignment();

    /**
     * Whether the file is open: not yet closing. Any thread.
     *
     * @return true until {@link #closeAsync()} or {@link #close()} begins
     */
    boolean isOpen();

    /**
     * The file's current size. Any thread; blocks like statx(2).
     *
     * @return the size in bytes
     * @throws IOException when the file is closed or statx fails
     */
    long size() throws IOException;

    /**
     * Sets the file's length to {@code size}, as ftruncate(2): the bytes past a smaller size are
     * discarded, a larger size extends the file with zeros (unlike {@code FileChannel.truncate},
     * which never grows a file). Operations in flight are not waited for. Any thread; blocks like
     * ftruncate(2).
     *
     * @param size the new length
     * @throws IOException                   when the file is closed or ftruncate fails
     * @throws java.nio.channels.NonWritableChannelException when the file was not opened for writing
     */
    void truncate(long size) throws IOException;

    /**
     * Reserves disk blocks for {@code [position, position + length)} (fallocate(2), mode 0), growing
     * the file if needed. Preallocated blocks are still unwritten: the first write to each converts it,
     * a journal commit on ext4 and xfs; write zeros once where every later write must be fast (see the
     * README on appending with O_DIRECT). Any thread; blocks like fallocate(2).
     *
     * @param position where the range starts
     * @param length   its length, positive
     * @throws IOException when the file is closed, or the file system cannot preallocate
     */
    void allocate(long position, long length) throws IOException;

    // ---- futures --------------------------------------------------------------------------

    /**
     * Reads into {@code dst} from {@code position}. Any thread.
     *
     * @param dst      where the bytes go: its whole size is asked for
     * @param position the file offset
     * @return the bytes read, fewer at end of file
     */
    CompletableFuture<Integer> read(MemorySegment dst, long position);

    /**
     * Reads into {@code dst}'s remaining bytes from {@code position}, advancing its position. Any thread.
     *
     * @param dst      a direct buffer
     * @param position the file offset
     * @return the bytes read, fewer at end of file
     */
    CompletableFuture<Integer> read(ByteBuffer dst, long position);

    /**
     * Writes {@code src} at {@code position}. Any thread.
     *
     * @param src      the bytes: the whole segment
     * @param position the file offset
     * @return the bytes written
     */
    CompletableFuture<Integer> write(MemorySegment src, long position);

    /**
     * Writes {@code src}'s remaining bytes at {@code position}, advancing its position. Any thread.
     *
     * @param src      a direct buffer
     * @param position the file offset
     * @return the bytes written
     */
    CompletableFuture<Integer> write(ByteBuffer src, long position);

    /**
     * Reads from {@code position} into {@code dsts} in order (preadv). Any thread.
     *
     * @param dsts     1 to {@link #MAX_BUFFERS} segments
     * @param position the file offset
     * @return the bytes read, fewer at end of file
     */
    CompletableFuture<Integer> read(MemorySegment[] dsts, long position);

    /**
     * Reads from {@code position} into {@code dsts} in order (preadv), advancing their positions. Any thread.
     *
     * @param dsts     1 to {@link #MAX_BUFFERS} direct buffers
     * @param position the file offset
     * @return the bytes read, fewer at end of file
     */
    CompletableFuture<Integer> read(ByteBuffer[] dsts, long position);

    /**
     * Writes {@code srcs} in order at {@code position} (pwritev). Any thread.
     *
     * @param srcs     1 to {@link #MAX_BUFFERS} segments
     * @param position the file offset
     * @return the bytes written
     */
    CompletableFuture<Integer> write(MemorySegment[] srcs, long position);

    /**
     * Writes {@code srcs}' remaining bytes in order at {@code position} (pwritev), advancing their
     * positions. Any thread.
     *
     * @param srcs     1 to {@link #MAX_BUFFERS} direct buffers
     * @param position the file offset
     * @return the bytes written
     */
    CompletableFuture<Integer> write(ByteBuffer[] srcs, long position);

    /**
     * Flushes data and metadata to stable storage (fsync). Which writes it covers: see the README's
     * ordering rules (writes that completed before it was issued, on every backend). Any thread.
     *
     * @return completes when the kernel says the data is durable
     */
    CompletableFuture<Void> fsync();

    /**
     * Flushes data, and only the metadata needed to read it back (fdatasync); see {@link #fsync()}. Any thread.
     *
     * @return completes when the kernel says the data is durable
     */
    CompletableFuture<Void> fdatasync();

    /**
     * Writes {@code src} at {@code position}, then, once every byte is written, flushes it as
     * {@link #fdatasync()} does: the future completes with the bytes written when they are durable.
     * A write-ahead log's commit in one request. Any thread.
     *
     * <p>On io_uring the two go out in one submission, the write flagged {@code IOSQE_IO_LINK}, so the
     * kernel starts the sync the moment the write completes, without a trip through the loop. On
     * Linux AIO, which cannot link requests, the backend issues the sync itself when the write's
     * completion is reaped (no handler runs in between). On the thread backend one worker performs
     * {@code pwrite} and then {@code fdatasync}.
     *
     * <p>A failed write fails the operation with the write's error and no sync is issued; a short
     * write (fewer bytes than asked, as at the end of a device) fails it with an
     * {@link IOException} saying so, since nothing of it is known to be durable; a failed sync fails
     * it with the sync's error; a {@link io.fdloop.NativeIOException}'s {@code call()} says which
     * ({@code "pwrite"} or {@code "fdatasync"}). After a failed sync, as after any failed fsync on Linux, the data's state
     * is unknown: the page cache may have dropped what it could not write, so do not retry the sync.
     *
     * @param src      the bytes
     * @param position the file offset
     * @return the bytes written (all of {@code src}), once durable
     */
    CompletableFuture<Integer> writeAndFdatasync(MemorySegment src, long position);

    /**
     * {@link #writeAndFdatasync(MemorySegment, long)} from a direct buffer's remaining bytes,
     * advancing its position. Any thread.
     *
     * @param src      a direct buffer
     * @param position the file offset
     * @return the bytes written, once durable
     */
    CompletableFuture<Integer> writeAndFdatasync(ByteBuffer src, long position);

    // ---- callbacks ------------------------------------------------------------------------

    /**
     * {@link #read(MemorySegment, long)} with a callback: nothing is allocated per operation when
     * called on the loop thread with a callback that captures nothing (carry the state in the
     * attachment). Any thread; the callback runs on the loop thread.
     *
     * @param <A>        the attachment's type
     * @param dst        where the bytes go
     * @param position   the file offset
     * @param attachment handed back to the callback
     * @param callback   receives the bytes read, or the failure
     */
    <A> void read(MemorySegment dst, long position, A attachment, IoCallback<? super A> callback);

    /**
     * {@link #read(ByteBuffer, long)} with a callback (see {@link #read(MemorySegment, long, Object, IoCallback)}).
     *
     * @param <A>        the attachment's type
     * @param dst        a direct buffer
     * @param position   the file offset
     * @param attachment handed back to the callback
     * @param callback   receives the bytes read, or the failure
     */
    <A> void read(ByteBuffer dst, long position, A attachment, IoCallback<? super A> callback);

    /**
     * {@link #write(MemorySegment, long)} with a callback (see {@link #read(MemorySegment, long, Object, IoCallback)}).
     *
     * @param <A>        the attachment's type
     * @param src        the bytes
     * @param position   the file offset
     * @param attachment handed back to the callback
     * @param callback   receives the bytes written, or the failure
     */
    <A> void write(MemorySegment src, long position, A attachment, IoCallback<? super A> callback);

    /**
     * {@link #write(ByteBuffer, long)} with a callback (see {@link #read(MemorySegment, long, Object, IoCallback)}).
     *
     * @param <A>        the attachment's type
     * @param src        a direct buffer
     * @param position   the file offset
     * @param attachment handed back to the callback
     * @param callback   receives the bytes written, or the failure
     */
    <A> void write(ByteBuffer src, long position, A attachment, IoCallback<? super A> callback);

    /**
     * {@link #read(MemorySegment[], long)} with a callback (see {@link #read(MemorySegment, long, Object, IoCallback)}).
     *
     * @param <A>        the attachment's type
     * @param dsts       1 to {@link #MAX_BUFFERS} segments
     * @param position   the file offset
     * @param attachment handed back to the callback
     * @param callback   receives the bytes read, or the failure
     */
    <A> void read(MemorySegment[] dsts, long position, A attachment, IoCallback<? super A> callback);

    /**
     * {@link #read(ByteBuffer[], long)} with a callback (see {@link #read(MemorySegment, long, Object, IoCallback)}).
     *
     * @param <A>        the attachment's type
     * @param dsts       1 to {@link #MAX_BUFFERS} direct buffers
     * @param position   the file offset
     * @param attachment handed back to the callback
     * @param callback   receives the bytes read, or the failure
     */
    <A> void read(ByteBuffer[] dsts, long position, A attachment, IoCallback<? super A> callback);

    /**
     * {@link #write(MemorySegment[], long)} with a callback (see {@link #read(MemorySegment, long, Object, IoCallback)}).
     *
     * @param <A>        the attachment's type
     * @param srcs       1 to {@link #MAX_BUFFERS} segments
     * @param position   the file offset
     * @param attachment handed back to the callback
     * @param callback   receives the bytes written, or the failure
     */
    <A> void write(MemorySegment[] srcs, long position, A attachment, IoCallback<? super A> callback);

    /**
     * {@link #write(ByteBuffer[], long)} with a callback (see {@link #read(MemorySegment, long, Object, IoCallback)}).
     *
     * @param <A>        the attachment's type
     * @param srcs       1 to {@link #MAX_BUFFERS} direct buffers
     * @param position   the file offset
     * @param attachment handed back to the callback
     * @param callback   receives the bytes written, or the failure
     */
    <A> void write(ByteBuffer[] srcs, long position, A attachment, IoCallback<? super A> callback);

    /**
     * {@link #fsync()} with a callback, which receives 0 on success.
     *
     * @param <A>        the attachment's type
     * @param attachment handed back to the callback
     * @param callback   receives 0, or the failure
     */
    <A> void fsync(A attachment, IoCallback<? super A> callback);

    /**
     * {@link #fdatasync()} with a callback, which receives 0 on success.
     *
     * @param <A>        the attachment's type
     * @param attachment handed back to the callback
     * @param callback   receives 0, or the failure
     */
    <A> void fdatasync(A attachment, IoCallback<? super A> callback);

    /**
     * {@link #writeAndFdatasync(MemorySegment, long)} with a callback (see
     * {@link #read(MemorySegment, long, Object, IoCallback)}).
     *
     * @param <A>        the attachment's type
     * @param src        the bytes
     * @param position   the file offset
     * @param attachment handed back to the callback
     * @param callback   receives the bytes written once durable, or the failure
     */
    <A> void writeAndFdatasync(MemorySegment src, long position, A attachment, IoCallback<? super A> callback);

    /**
     * {@link #writeAndFdatasync(ByteBuffer, long)} with a callback (see
     * {@link #read(MemorySegment, long, Object, IoCallback)}).
     *
     * @param <A>        the attachment's type
     * @param src        a direct buffer
     * @param position   the file offset
     * @param attachment handed back to the callback
     * @param callback   receives the bytes written once durable, or the failure
     */
    <A> void writeAndFdatasync(ByteBuffer src, long position, A attachment, IoCallback<? super A> callback);

    // ---- closing --------------------------------------------------------------------------

    /**
     * Closes the file once the operations in flight have completed, were cancelled or abandoned (see
     * above: within the loop's close timeout); operations issued after this call fail with
     * {@link java.nio.channels.ClosedChannelException}. Idempotent. Any thread.
     *
     * @return completes when the fd is closed
     */
    CompletableFuture<Void> closeAsync();

    /**
     * Closes the file: from another thread, waits until the operations in flight completed and the
     * fd is closed; on the loop thread, starts the close and returns (see {@link #closeAsync()}).
     */
    @Override
    void close();
}
