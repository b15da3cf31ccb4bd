package io.fdloop.internal.net;

import io.fdloop.file.AsyncFile;
import io.fdloop.file.DirectAlignment;
import io.fdloop.file.IoHandler;
import io.fdloop.internal.file.OpenFile;

import java.io.EOFException;
import java.lang.foreign.MemorySegment;

/**
 * One {@code sendFile} range in a connection's write queue: where it is, and the buffer it is read
 * into when it does not go by {@code sendfile(2)}. The file's fd is borrowed (held open) from the
 * moment the range is queued until it completes or fails.
 *
 * <p>Reads go through the file's own backend ({@code AsyncFile.read}), so a cold range or an
 * {@code O_DIRECT} file never blocks the loop; a direct file is read in aligned blocks that cover the
 * range, and only the range's bytes are sent.
 *
 * <p><b>Loop thread only.</b>
 */
public final class FileSend implements IoHandler<Object> {
    private final NetConnection owner;
    final AsyncFile file;
    final int fd;
    private final DirectAlignment alignment; // null for a buffered file
    private final long end;
    private long position;
    private MemorySegment buffer;
    private long dataStart; // bytes of the buffer read and not yet sent: [dataStart, dataEnd)
    private long dataEnd;
    private boolean reading;
    private Throwable readFailure;
    private boolean released;

    FileSend(NetConnection owner, AsyncFile file, int fd, long position, long count) {
        this.owner = owner;
        this.file = file;
        this.fd = fd;
        this.alignment = file.isDirect() ? file.directAlignment() : null;
        this.position = position;
        this.end = position + count;
    }

    public int fileFd() {
        return fd;
    }

    /** The file and range, for messages. */
    public String describe() {
        return file.path() + " at " + position;
    }

    public long position() {
        return position;
    }

    public long remaining() {
        return end - position;
    }

    public boolean isDirect() {
        return alignment != null;
    }

    public boolean isReading() {
        return reading;
    }

    /** The failure of the last read, once; null when there is none. */
    public Throwable takeReadFailure() {
        Throwable failure = readFailure;
        readFailure = null;
        return failure;
    }

    /** Read bytes waiting to be sent from the buffer. */
    public long bufferedLength() {
        return dataEnd - dataStart;
    }

    public long bufferedAddress() {
        return buffer.address() + dataStart;
    }

    /** {@code bytes} of the buffered data were sent. */
    public void sentFromBuffer(long bytes) {
        dataStart += bytes;
        position += bytes;
        if (dataStart == dataEnd) {
            dataStart = dataEnd = 0;
        }
    }

    /** {@code bytes} went by {@code sendfile(2)} (which advanced the offset it was given). */
    public void sentByKernel(long bytes) {
        position += bytes;
    }

    /** A buffer for reading into, made on first use. */
    public MemorySegment buffer() {
        if (buffer == null) {
            buffer = owner.engine.fileBuffers.take(alignment == null ? 1 : alignment.memory());
        }
        return buffer;
    }

    /** {@code bytes} were read into the buffer's start without waiting (RWF_NOWAIT). */
    public void filled(long bytes) {
        dataStart = 0;
        dataEnd = bytes;
    }

    /**
     * Reads the next part of the range through the file's backend; the connection flushes again when it
     * completes. A direct file is read from the aligned offset at or before the position, in whole blocks.
     */
    public void startRead() {
        MemorySegment into = buffer();
        long from = position;
        long length = Math.min(remaining(), FileBuffers.SIZE);
        if (alignment != null) {
            int block = alignment.offset();
            from = position - position % block;
            long skip = position - from;
            length = Math.min(FileBuffers.SIZE, roundUp(skip + remaining(), block));
        }
        reading = true;
        file.read(into.asSlice(0, length), from, null, this);
        owner.engine.fileReadIssued();
    }

    private static long roundUp(long value, int block) {
        return (value + block - 1) / block * block;
    }

    @Override
    public void completed(int bytes, Object ignored) {
        reading = false;
        if (released) {
            return;
        }
        long skip = alignment == null ? 0 : position % alignment.offset();
        long usable = Math.min(bytes - skip, remaining());
        if (usable <= 0) {
            readFailure = endOfFile();
        } else {
            dataStart = skip;
            dataEnd = skip + usable;
        }
        owner.fileReadDone();
    }

    @Override
    public void failed(Throwable error, Object ignored) {
        reading = false;
        if (!released) {
            readFailure = error;
            owner.fileReadDone();
        }
    }

    /** The exception for a file that ends before the range does. */
    public EOFException endOfFile() {
        return new EOFException(file.path() + " ends at " + position + ", before the end of the range sendFile was "
                + "asked to send (" + end + ")");
    }

    /** Completed or failed: the buffer goes back and the fd is returned. Idempotent. */
    void release() {
        if (!released) {
            released = true;
            if (buffer != null && !reading) {
                owner.engine.fileBuffers.give(buffer);
            }
            buffer = null;
            OpenFile.of(file).releaseFd();
        }
    }
}
