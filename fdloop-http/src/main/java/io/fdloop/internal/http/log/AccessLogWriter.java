package io.fdloop.internal.http.log;

import io.fdloop.EventLoop;
import io.fdloop.Timer;
import io.fdloop.file.AsyncFile;
import io.fdloop.file.FileOption;
import io.fdloop.file.IoHandler;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A loop's access log writer: lines are gathered in native buffers and written through
 * {@link AsyncFile} (never a blocking write on the loop), each full buffer at a range reserved in the
 * shared {@link AccessLogFile}. A buffer is written when full, when {@code flushInterval} has passed
 * since its first line, on {@link #flush()} and on close.
 *
 * <p><b>Loop thread only</b>, except {@link #open}, which blocks like open(2).
 *
 * <p>Nothing blocks and memory stays bounded: at most {@code maxBuffers} buffers are filling or being
 * written; when all are busy (the disk is slower than the requests), further lines are dropped and
 * counted ({@link #droppedLines()}). A write that fails (a full disk) loses its buffer's bytes, counted
 * in {@link #lostBytes()} and logged once; a short write continues where it stopped.
 */
public final class AccessLogWriter {
    private static final System.Logger LOG = System.getLogger(AccessLogWriter.class.getName());

    /** A buffer of whole lines, and where it is being written. */
    private static final class Buffer {
        final MemorySegment segment;
        int size;
        AsyncFile file;
        long position;
        int written;

        Buffer(MemorySegment segment) {
            this.segment = segment;
        }
    }

    private final EventLoop loop;
    private final AccessLogFile log;
    private final Arena arena = Arena.ofShared();
    private final int bufferBytes;
    private final int maxBuffers;
    private final Duration flushInterval;
    private final ArrayDeque<Buffer> free = new ArrayDeque<>();
    private final WriteHandler handler = new WriteHandler();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private AccessLogFile.Generation generation;
    private AsyncFile file;
    private Buffer active;
    private int buffers;
    private int inFlight;
    private Timer flushTimer;
    private boolean closing;
    private boolean failureLogged;
    private long droppedLines;
    private long lostBytes;
    private long writtenBytes;

    private AccessLogWriter(EventLoop loop, AccessLogFile log, int bufferBytes, int maxBuffers, Duration flushInterval) {
        this.loop = loop;
        this.log = log;
        this.bufferBytes = bufferBytes;
        this.maxBuffers = maxBuffers;
        this.flushInterval = flushInterval;
    }

    /**
     * A writer for {@code log} on {@code loop}, the file opened (created if missing, never truncated).
     * Any thread; blocks like open(2).
     *
     * @param bufferBytes   the size of each buffer: the longest line that is written whole (longer lines
     *                      are written on their own)
     * @param maxBuffers    buffers filling or in flight at most
     * @param flushInterval the longest a line waits in a buffer
     */
    public static AccessLogWriter open(EventLoop loop, AccessLogFile log, int bufferBytes, int maxBuffers,
                                       Duration flushInterval) throws IOException {
        if (bufferBytes < 256 || maxBuffers < 1 || flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("an access log writer needs bufferBytes >= 256, maxBuffers >= 1 and a"
                    + " positive flushInterval, was " + bufferBytes + ", " + maxBuffers + ", " + flushInterval);
        }
        AccessLogWriter writer = new AccessLogWriter(loop, log, bufferBytes, maxBuffers, flushInterval);
        writer.generation = log.current();
        writer.file = openFile(loop, log, writer.generation);
        return writer;
    }

    private static AsyncFile openFile(EventLoop loop, AccessLogFile log, AccessLogFile.Generation generation)
            throws IOException {
        AsyncFile file = AsyncFile.open(loop, log.path(), FileOption.WRITE, FileOption.CREATE);
        try {
            generation.start(file.size());
        } catch (IOException e) {
            file.close();
            throw e;
        }
        return file;
    }

    /** Appends one line ({@code bytes[offset, offset + length)}, its newline included). Loop thread only. */
    public void append(byte[] bytes, int offset, int length) {
        if (closing) {
            droppedLines++;
            return;
        }
        if (length > bufferBytes) {
            writeAlone(bytes, offset, length);
            return;
        }
        if (active != null && active.size + length > bufferBytes) {
            issue(active);
            active = null;
        }
        if (active == null) {
            active = takeBuffer();
            if (active == null) {
                droppedLines++;
                return;
            }
            armFlushTimer();
        }
        MemorySegment.copy(bytes, offset, active.segment, java.lang.foreign.ValueLayout.JAVA_BYTE, active.size, length);
        active.size += length;
    }

    /** Appends a formatted line. Loop thread only. */
    public void append(CombinedLogFormat line) {
        append(line.bytes(), 0, line.length());
    }

    /** Writes the lines gathered so far. Loop thread only. */
    public void flush() {
        if (active != null && active.size > 0) {
            issue(active);
            active = null;
        }
    }

    /**
     * Switches to {@link AccessLogFile}'s current generation, if it changed: what is buffered goes to the
     * old file, which closes once its writes are done, and the path is opened anew (one open(2) on the
     * loop thread, as nginx reopens its logs in each worker). If the open fails, writing continues to the
     * old file and the future fails. Loop thread only.
     */
    public CompletableFuture<Void> reopen() {
        AccessLogFile.Generation next = log.current();
        if (next == generation || closing) {
            return CompletableFuture.completedFuture(null);
        }
        flush();
        AsyncFile reopened;
        try {
            reopened = openFile(loop, log, next);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        AsyncFile old = file;
        file = reopened;
        generation = next;
        old.closeAsync();
        return CompletableFuture.completedFuture(null);
    }

    /** Flushes, waits for the writes in flight, closes the file. Idempotent. Loop thread only. */
    public CompletableFuture<Void> closeAsync() {
        if (!closing) {
            closing = true;
            if (flushTimer != null) {
                flushTimer.cancel();
            }
            flush();
            finishIfIdle();
        }
        return closed;
    }

    /** Lines dropped because every buffer was busy, or appended after close. Loop thread only. */
    public long droppedLines() {
        return droppedLines;
    }

    /** Bytes lost to failed writes. Loop thread only. */
    public long lostBytes() {
        return lostBytes;
    }

    /** Bytes written to the log so far. Loop thread only. */
    public long writtenBytes() {
        return writtenBytes;
    }

    private Buffer takeBuffer() {
        Buffer b = free.poll();
        if (b == null && buffers < maxBuffers) {
            buffers++;
            b = new Buffer(arena.allocate(bufferBytes));
        }
        return b;
    }

    private void armFlushTimer() {
        if (flushTimer == null) {
            flushTimer = loop.schedule(flushInterval, () -> {
                flushTimer = null;
                flush();
            });
        }
    }

    /** A line longer than a buffer: written from a segment of its own, which the GC frees after the write. */
    private void writeAlone(byte[] bytes, int offset, int length) {
        flush();
        Buffer alone = new Buffer(Arena.ofAuto().allocate(length));
        MemorySegment.copy(bytes, offset, alone.segment, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, length);
        alone.size = length;
        issue(alone);
    }

    private void issue(Buffer b) {
        b.file = file;
        b.position = generation.reserve(b.size);
        b.written = 0;
        inFlight++;
        write(b);
    }

    private void write(Buffer b) {
        b.file.write(b.segment.asSlice(b.written, b.size - b.written), b.position + b.written, b, handler);
    }

    private void done(Buffer b) {
        inFlight--;
        if (b.segment.byteSize() == bufferBytes) {
            b.size = 0;
            b.file = null;
            free.push(b);
        }
        finishIfIdle();
    }

    private void finishIfIdle() {
        if (closing && inFlight == 0 && !closed.isDone()) {
            file.closeAsync().whenComplete((ignored, error) -> {
                arena.close();
                closed.complete(null);
            });
        }
    }

    private final class WriteHandler implements IoHandler<Buffer> {
        @Override
        public void completed(int bytes, Buffer b) {
            b.written += bytes;
            writtenBytes += bytes;
            if (b.written < b.size && bytes > 0) {
                write(b);
                return;
            }
            if (b.written < b.size) {
                failed(new IOException("the access log write made no progress"), b);
                return;
            }
            done(b);
        }

        @Override
        public void failed(Throwable error, Buffer b) {
            lostBytes += b.size - b.written;
            if (!failureLogged) {
                failureLogged = true;
                LOG.log(System.Logger.Level.WARNING, "writing the access log " + log.path()
                        + " failed; its lines are lost until writes succeed again", error);
            }
            done(b);
        }
    }
}
