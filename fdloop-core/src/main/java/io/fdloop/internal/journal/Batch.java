package io.fdloop.internal.journal;


import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * One group commit being assembled or written: an aligned buffer that becomes one {@code O_DIRECT}
 * write at a block-aligned offset of one segment, and the handlers of the records in it, in order.
 *
 * <pre>
 *  memory:  | carried bytes       | record | record | ... | record | zeros to the block's end |
 *           ^ fileOffset (aligned) ^ startOffset                   ^ used
 * </pre>
 *
 * The carried bytes are the already-durable start of the block the previous batch ended in: the
 * partial tail block is written again, whole, with the new records after it. When a batch opens a
 * segment its first bytes are the segment header instead.
 *
 * <p><b>Loop thread only.</b> Nothing is allocated once the record arrays have grown to the
 * largest batch seen.
 */
public final class Batch {
    public final MemorySegment memory;
    public final ByteBuffer view;
    private final MemorySegment[] writes; // by length in blocks: the slice a write hands to AsyncFile
    private final int blockSize;
    public Segment segment;
    public long fileOffset;
    public int used;
    public int carried;
    public int startCrc; // the chain value before this batch's first record
    public int lastCrc;
    public int count;
    public int writeLength; // of the write in flight
    public int[] recordAt = new int[256];
    public int[] lengths = new int[256];
    public Object[] handlers = new Object[256];
    public Object[] attachments = new Object[256];

    public Batch(Arena arena, int capacity, int blockSize) {
        memory = arena.allocate(capacity, blockSize);
        view = RecordFormat.view(memory);
        this.blockSize = blockSize;
        writes = new MemorySegment[capacity / blockSize + 1];
        for (int blocks = 1; blocks < writes.length; blocks++) {
            writes[blocks] = memory.asSlice(0, (long) blocks * blockSize);
        }
    }

    public int capacity() {
        return (int) memory.byteSize();
    }

    /** Starts an empty batch at {@code writeOffset} of {@code target}, carrying the tail block from {@code previous}. */
    public void begin(Segment target, long writeOffset, int chain, Batch previous, int blockSize) {
        segment = target;
        fileOffset = writeOffset & -blockSize;
        carried = (int) (writeOffset - fileOffset);
        if (carried > 0) {
            MemorySegment.copy(previous.memory, fileOffset - previous.fileOffset, memory, 0, carried);
        }
        used = carried;
        startCrc = chain;
        lastCrc = chain;
        count = 0;
    }

    /** Starts a batch that opens {@code target}: its header first. */
    public void beginSegment(Segment target, CRC32C crc) {
        segment = target;
        fileOffset = 0;
        int headerCrc = RecordFormat.writeHeader(memory, view, 0, target.sequence, target.size, target.salt, crc);
        carried = RecordFormat.HEADER_SIZE;
        used = carried;
        startCrc = headerCrc;
        lastCrc = headerCrc;
        count = 0;
    }

    /** The file offset the next record would take. */
    public long writeOffset() {
        return fileOffset + used;
    }

    public boolean fits(long frame) {
        return used + frame <= memory.byteSize();
    }

    /**
     * Copies one record in and seals it.
     *
     * @throws RuntimeException when the record's memory cannot be read (a closed arena, a segment
     *                          confined to another thread): nothing was added
     */
    public void add(Object record, int offset, int length, Object handler, Object attachment, CRC32C crc) {
        int at = used;
        int payload = at + RecordFormat.RECORD_HEADER;
        switch (record) {
            case byte[] array -> MemorySegment.copy(array, offset, memory, JAVA_BYTE, payload, length);
            case ByteBuffer buffer -> view.clear().put(payload, buffer, offset, length);
            case MemorySegment source -> MemorySegment.copy(source, offset, memory, payload, length);
            default -> throw new IllegalArgumentException("unsupported record type " + record.getClass().getName());
        }
        lastCrc = RecordFormat.sealRecord(memory, view, at, length, lastCrc, segment.sequence, crc);
        used = at + (int) RecordFormat.frameSize(length);
        if (count == recordAt.length) {
            grow();
        }
        recordAt[count] = at;
        lengths[count] = length;
        handlers[count] = handler;
        attachments[count] = attachment;
        count++;
    }

    public long position(int index) {
        return Positions.of(segment.sequence, fileOffset + recordAt[index]);
    }

    /** The position after the last record. */
    public long endPosition() {
        return Positions.of(segment.sequence, fileOffset + used);
    }

    /** Zeros the bytes after the last record up to the block's end; returns what to write. */
    public MemorySegment seal() {
        int length = (used + blockSize - 1) & -blockSize;
        int i = used;
        for (; i < length && (i & 7) != 0; i++) {
            memory.set(JAVA_BYTE, i, (byte) 0);
        }
        for (; i < length; i += 8) {
            memory.set(JAVA_LONG_UNALIGNED, i, 0L);
        }
        writeLength = length;
        return writes[length / blockSize];
    }

    /** Forgets the records (their handlers must have been called) and the segment. */
    public void clear() {
        Arrays.fill(handlers, 0, count, null);
        Arrays.fill(attachments, 0, count, null);
        count = 0;
        segment = null;
    }

    private void grow() {
        int size = recordAt.length * 2;
        recordAt = Arrays.copyOf(recordAt, size);
        lengths = Arrays.copyOf(lengths, size);
        handlers = Arrays.copyOf(handlers, size);
        attachments = Arrays.copyOf(attachments, size);
    }
}
