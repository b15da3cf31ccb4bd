package io.fdloop.internal.net;

import io.fdloop.internal.linux.Msghdr;
import io.fdloop.net.TransferHandler;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * One connection's queued output, in order: buffers written in place (zero copy), bytes copied into
 * pooled chunks, file ranges ({@link FileSend}) and the shutdown of the output. Entries live in
 * parallel arrays of a ring, so queueing allocates nothing once the ring is large enough.
 *
 * <p>Bytes copied one after the other into the same chunk become one entry (one iovec), however
 * many small writes they came from.
 *
 * <p><b>Loop thread only.</b>
 */
public final class WriteQueue {
    static final byte BUFFER = 0, COPY = 1, FILE = 2, SHUTDOWN = 3;

    private final CopyPool pool;
    private byte[] kinds = new byte[8];
    private long[] addresses = new long[8];
    private long[] remaining = new long[8];
    private long[] lengths = new long[8];
    private Object[] buffers = new Object[8]; // the segment, ByteBuffer, chunk or FileSend it keeps alive
    private Object[] handlers = new Object[8];
    private Object[] attachments = new Object[8];
    private int head;
    private int size;
    private long pendingBytes;
    private CopyPool.Chunk tailChunk; // the chunk copies go into, or null
    private int tailChunkUsed;
    private long gatheredBytes;
    private int gatheredEntries;

    WriteQueue(CopyPool pool) {
        this.pool = pool;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    public long pendingBytes() {
        return pendingBytes;
    }

    /** A buffer written in place; {@code handler} is told when its last byte is written. */
    void addBuffer(long address, long length, Object buffer, TransferHandler<?> handler, Object attachment) {
        int i = append(BUFFER, address, length, buffer);
        handlers[i] = handler;
        attachments[i] = attachment;
    }

    /** Copies {@code length} bytes of {@code src} from {@code offset} into pooled chunks. */
    void addCopy(MemorySegment src, long offset, long length) {
        while (length > 0) {
            if (tailChunk == null || tailChunkUsed == CopyPool.CHUNK_SIZE) {
                retireTailChunk();
                tailChunk = pool.take();
                tailChunkUsed = 0;
            }
            int n = (int) Math.min(length, CopyPool.CHUNK_SIZE - tailChunkUsed);
            MemorySegment.copy(src, offset, tailChunk.memory, tailChunkUsed, n);
            long address = tailChunk.address + tailChunkUsed;
            int last = size == 0 ? -1 : index(size - 1);
            if (last >= 0 && kinds[last] == COPY && buffers[last] == tailChunk
                    && addresses[last] + remaining[last] == address) {
                remaining[last] += n;
                lengths[last] += n;
                pendingBytes += n;
            } else {
                append(COPY, address, n, tailChunk);
                tailChunk.references++;
            }
            tailChunkUsed += n;
            offset += n;
            length -= n;
        }
    }

    void addFile(FileSend send, TransferHandler<?> handler, Object attachment) {
        int i = append(FILE, 0, send.remaining(), send);
        handlers[i] = handler;
        attachments[i] = attachment;
    }

    void addShutdown() {
        append(SHUTDOWN, 0, 0, null);
    }

    private int append(byte kind, long address, long length, Object buffer) {
        if (size == kinds.length) {
            grow();
        }
        int i = index(size++);
        kinds[i] = kind;
        addresses[i] = address;
        remaining[i] = length;
        lengths[i] = length;
        buffers[i] = buffer;
        pendingBytes += length;
        return i;
    }

    /** What the head of the queue is. */
    public enum Head { BUFFERS, FILE, SHUTDOWN }

    public Head head() {
        return switch (kinds[head]) {
            case FILE -> Head.FILE;
            case SHUTDOWN -> Head.SHUTDOWN;
            default -> Head.BUFFERS;
        };
    }

    public FileSend headFile() {
        return (FileSend) buffers[head];
    }

    /**
     * Fills {@code iovecs} from the buffer and copy entries at the head, up to {@code max} of them; stops
     * at a file range or a shutdown. Returns how many iovecs it filled.
     */
    public int gather(MemorySegment iovecs, int max) {
        int count = 0;
        long bytes = 0;
        gatheredEntries = 0;
        for (int k = 0; k < size && count < max; k++) {
            int i = index(k);
            if (kinds[i] != BUFFER && kinds[i] != COPY) {
                break;
            }
            if (remaining[i] == 0) {
                gatheredEntries = k + 1; // completes with this write: no reason for MSG_MORE
                continue;
            }
            Msghdr.setIovec(iovecs, count++, addresses[i], remaining[i]);
            bytes += remaining[i];
            gatheredEntries = k + 1;
        }
        gatheredBytes = bytes;
        return count;
    }

    /** The bytes the last {@link #gather} took. */
    public long gatheredBytes() {
        return gatheredBytes;
    }

    /**
     * Whether entries follow those the last {@link #gather} took (more bytes the kernel may wait for). A
     * zero-length write among or after the gathered bytes counts as gathered: it completes with them, and
     * {@code MSG_MORE} on the last bytes of a stream would hold them back until the kernel's probe timer.
     */
    public boolean moreAfterGathered() {
        return size > gatheredEntries;
    }

    /** Whether the memory of the entries the last gather took is still valid (every arena open). */
    public boolean gatheredAlive() {
        for (int k = 0; k < gatheredEntries && k < size; k++) {
            int i = index(k);
            if (kinds[i] == BUFFER && buffers[i] instanceof MemorySegment segment && !segment.scope().isAlive()) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code bytes} of the head buffer entries were written: completes the entries written whole, in
     * order, and advances the first one written in part.
     */
    public void consumed(long bytes, NetConnection owner) {
        while (bytes > 0 && size > 0) {
            int i = head;
            long left = remaining[i];
            if (bytes < left) {
                addresses[i] += bytes;
                remaining[i] = left - bytes;
                pendingBytes -= bytes;
                return;
            }
            bytes -= left;
            pendingBytes -= left;
            remaining[i] = 0;
            completeHead(owner);
        }
        // zero-length entries at the head complete with the write that reached them
        while (size > 0 && remaining[head] == 0 && (kinds[head] == BUFFER || kinds[head] == COPY)) {
            completeHead(owner);
        }
    }

    /** Accounts for {@code bytes} of the head file range being sent. */
    public void fileProgress(long bytes) {
        remaining[head] -= bytes;
        pendingBytes -= bytes;
    }

    /** Removes the head entry and tells its handler it completed, with the entry's whole length. */
    @SuppressWarnings("unchecked")
    public void completeHead(NetConnection owner) {
        int i = head;
        byte kind = kinds[i];
        Object buffer = buffers[i];
        TransferHandler<Object> handler = (TransferHandler<Object>) handlers[i];
        Object attachment = attachments[i];
        long length = lengths[i];
        pendingBytes -= remaining[i];
        pop();
        if (kind == COPY) {
            release((CopyPool.Chunk) buffer);
        } else if (kind == FILE) {
            ((FileSend) buffer).release();
        } else if (kind == BUFFER && buffer instanceof ByteBuffer byteBuffer) {
            byteBuffer.position(byteBuffer.position() + (int) length);
        }
        if (handler != null) {
            owner.deliverCompletion(handler, length, attachment);
        }
    }

    /**
     * What the entries' memory belongs to (segments, buffers, copy chunks, file ranges), to keep it reachable
     * while the kernel may still read it after the entries are gone.
     */
    public Object[] heldMemory() {
        Object[] held = new Object[size];
        for (int k = 0; k < size; k++) {
            held[k] = buffers[index(k)];
        }
        return held;
    }

    /** Removes every entry; each handler (and each file range) is told {@code error}. */
    @SuppressWarnings("unchecked")
    void failAll(Throwable error, NetConnection owner) {
        while (size > 0) {
            int i = head;
            byte kind = kinds[i];
            Object buffer = buffers[i];
            TransferHandler<Object> handler = (TransferHandler<Object>) handlers[i];
            Object attachment = attachments[i];
            pendingBytes -= remaining[i];
            pop();
            if (kind == COPY) {
                release((CopyPool.Chunk) buffer);
            } else if (kind == FILE) {
                ((FileSend) buffer).release();
            }
            if (handler != null) {
                owner.deliverFailure(handler, error, attachment);
            }
        }
        pendingBytes = 0;
    }

    private void pop() {
        int i = head;
        buffers[i] = null;
        handlers[i] = null;
        attachments[i] = null;
        head = index(1);
        size--;
        if (size == 0) {
            retireTailChunk(); // an idle connection holds no copy memory
        }
    }

    private void release(CopyPool.Chunk chunk) {
        if (--chunk.references == 0 && chunk != tailChunk) {
            pool.give(chunk);
        }
    }

    /** Stops filling the tail chunk; it goes back at once if no queued write refers to it. */
    private void retireTailChunk() {
        if (tailChunk != null) {
            if (tailChunk.references == 0) {
                pool.give(tailChunk);
            }
            tailChunk = null;
        }
    }

    private int index(int k) {
        return (head + k) & (kinds.length - 1);
    }

    private void grow() {
        int mask = kinds.length - 1;
        int capacity = kinds.length * 2;
        byte[] newKinds = new byte[capacity];
        long[] newAddresses = new long[capacity];
        long[] newRemaining = new long[capacity];
        long[] newLengths = new long[capacity];
        Object[] newBuffers = new Object[capacity];
        Object[] newHandlers = new Object[capacity];
        Object[] newAttachments = new Object[capacity];
        for (int k = 0; k < size; k++) {
            int i = (head + k) & mask;
            newKinds[k] = kinds[i];
            newAddresses[k] = addresses[i];
            newRemaining[k] = remaining[i];
            newLengths[k] = lengths[i];
            newBuffers[k] = buffers[i];
            newHandlers[k] = handlers[i];
            newAttachments[k] = attachments[i];
        }
        kinds = newKinds;
        addresses = newAddresses;
        remaining = newRemaining;
        lengths = newLengths;
        buffers = newBuffers;
        handlers = newHandlers;
        attachments = newAttachments;
        head = 0;
    }
}
