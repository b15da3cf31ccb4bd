package io.fdloop.internal.journal;

import io.fdloop.journal.RecoveryStop;

import io.fdloop.EventLoop;
import io.fdloop.file.AlignedBuffers;
import io.fdloop.file.AsyncFile;
import io.fdloop.file.FileOption;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.zip.CRC32C;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * Reads one segment from its start, record by record, checking each as {@link RecordFormat}
 * says: the header, then every record's length, sequence, checksum and chain. Reads go through
 * an {@link AsyncFile} on the journal's loop ({@code O_DIRECT}, a window of aligned reads), waited
 * for on the calling thread.
 *
 * <p><b>Not thread-safe</b>: one thread at a time, never the loop's (it waits for the loop).
 */
public final class SegmentScanner implements AutoCloseable {
    private static final int BLOCK = AlignedBuffers.SAFE_ALIGNMENT;

    private final Path path;
    private final long expectedSequence;
    private final AsyncFile file;
    private final Arena arena = Arena.ofShared();
    private final CRC32C crc = new CRC32C();
    private final long fileSize;
    private MemorySegment window;
    private ByteBuffer view;
    private long windowStart;
    private long windowLength;
    // what the header said
    private long size;
    private long salt;
    // the scan
    private long offset;
    private int chain;
    private long recordOffset;
    private int recordLength;
    private String stopDetail;

    public SegmentScanner(EventLoop loop, Path path, long expectedSequence, int windowBytes) throws IOException {
        this.path = path;
        this.expectedSequence = expectedSequence;
        this.file = AsyncFile.open(loop, path, FileOption.READ, FileOption.DIRECT);
        try {
            this.fileSize = file.size();
            this.window = AlignedBuffers.allocate(arena, windowBytes, BLOCK);
            this.view = RecordFormat.view(window);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        windowStart = -1;
    }

    /** Null when the header is valid (the scan may begin), else what is wrong with it. */
    public String readHeader() throws IOException {
        if (fileSize < RecordFormat.HEADER_SIZE) {
            return "the file holds " + fileSize + " bytes, less than a segment header";
        }
        ensure(0, RecordFormat.HEADER_SIZE);
        int at = (int) -windowStart;
        long magic = window.get(JAVA_LONG_UNALIGNED, at + RecordFormat.H_MAGIC);
        if (magic != RecordFormat.MAGIC) {
            return magic == 0 ? "no header (zeros): the segment was never written"
                    : "no segment header (magic 0x" + Long.toHexString(magic) + ")";
        }
        int stored = window.get(JAVA_INT_UNALIGNED, at + RecordFormat.H_CRC);
        int computed = RecordFormat.headerCrc(view, at, crc);
        if (stored != computed) {
            return "the header's checksum is wrong (0x" + Integer.toHexString(stored) + ", computed 0x"
                    + Integer.toHexString(computed) + ")";
        }
        int version = window.get(JAVA_INT_UNALIGNED, at + RecordFormat.H_VERSION);
        if (version != RecordFormat.VERSION) {
            return "format version " + version + ", this fdloop reads version " + RecordFormat.VERSION;
        }
        long sequence = window.get(JAVA_LONG_UNALIGNED, at + RecordFormat.H_SEQUENCE);
        if (sequence != expectedSequence) {
            return "the header is of sequence " + sequence + " (an earlier life of the file), its name says "
                    + expectedSequence;
        }
        size = window.get(JAVA_LONG_UNALIGNED, at + RecordFormat.H_SEGMENT_SIZE);
        if (size > fileSize || size < RecordFormat.HEADER_SIZE + RecordFormat.RECORD_HEADER) {
            return "the header says the segment has " + size + " bytes, the file has " + fileSize;
        }
        salt = window.get(JAVA_LONG_UNALIGNED, at + RecordFormat.H_SALT);
        chain = computed;
        offset = RecordFormat.HEADER_SIZE;
        return null;
    }

    /**
     * Moves to the next record: null when there is one ({@link #recordOffset()}, {@link #recordLength()},
     * {@link #copyPayload}), else why there is none ({@link #stopDetail()} says more).
     */
    public RecoveryStop.Reason next() throws IOException {
        long o = offset;
        if (o + RecordFormat.RECORD_HEADER > size) {
            stopDetail = "the segment is full (" + (size - o) + " bytes left)";
            return RecoveryStop.Reason.SEGMENT_FULL;
        }
        ensure(o, RecordFormat.RECORD_HEADER);
        int at = (int) (o - windowStart);
        int length = window.get(JAVA_INT_UNALIGNED, at + RecordFormat.R_LENGTH);
        int stored = window.get(JAVA_INT_UNALIGNED, at + RecordFormat.R_CRC);
        int previous = window.get(JAVA_INT_UNALIGNED, at + RecordFormat.R_PREVIOUS);
        int sequence = window.get(JAVA_INT_UNALIGNED, at + RecordFormat.R_SEQUENCE);
        if ((length | stored | previous | sequence) == 0) {
            stopDetail = "zeros: nothing was written here";
            return RecoveryStop.Reason.END_OF_DATA;
        }
        if (sequence != (int) expectedSequence) {
            stopDetail = "a record of sequence " + Integer.toUnsignedString(sequence)
                    + " (left from an earlier life of the file), in segment " + expectedSequence;
            return RecoveryStop.Reason.STALE_RECORD;
        }
        if (length < 0 || o + RecordFormat.frameSize(length) > size) {
            stopDetail = "a record length of " + Integer.toUnsignedString(length) + " bytes, which does not fit in the "
                    + (size - o - RecordFormat.RECORD_HEADER) + " bytes left in the segment";
            return RecoveryStop.Reason.TORN_RECORD;
        }
        ensure(o, RecordFormat.RECORD_HEADER + length);
        at = (int) (o - windowStart);
        int computed = RecordFormat.recordCrc(view, at, length, crc);
        if (computed != stored) {
            stopDetail = "a record of " + length + " bytes whose checksum is wrong (0x" + Integer.toHexString(stored)
                    + ", computed 0x" + Integer.toHexString(computed) + "): torn by a crash, or corrupt";
            return RecoveryStop.Reason.TORN_RECORD;
        }
        if (previous != chain) {
            stopDetail = "a whole record that does not follow the one before it (left behind an earlier recovery point)";
            return RecoveryStop.Reason.STALE_RECORD;
        }
        chain = computed;
        recordOffset = o;
        recordLength = length;
        offset = o + RecordFormat.frameSize(length);
        return null;
    }

    /** Goes back to {@code offset} with the chain value {@code chainBefore}, forgetting what was read past it. */
    public void rewind(long offsetBefore, int chainBefore) {
        offset = offsetBefore;
        chain = chainBefore;
        windowStart = -1; // the bytes there may change: read them again
    }

    public long recordOffset() {
        return recordOffset;
    }

    public int recordLength() {
        return recordLength;
    }

    /** The current record's payload. */
    public byte[] copyPayload() {
        byte[] payload = new byte[recordLength];
        MemorySegment.copy(window, JAVA_BYTE, recordOffset - windowStart + RecordFormat.RECORD_HEADER, payload, 0,
                recordLength);
        return payload;
    }

    /** Where the next record would start. */
    public long offset() {
        return offset;
    }

    /** The chain value the next record must carry as its previous crc. */
    public int chain() {
        return chain;
    }

    public long size() {
        return size;
    }

    public long salt() {
        return salt;
    }

    public String stopDetail() {
        return stopDetail;
    }

    public Path path() {
        return path;
    }

    /** Copies {@code length} bytes from {@code fileOffset} into {@code target}. */
    public void copy(long fileOffset, int length, MemorySegment target) throws IOException {
        ensure(fileOffset, length);
        MemorySegment.copy(window, fileOffset - windowStart, target, 0, length);
    }

    /** Makes {@code [from, from + length)} of the file readable in the window (zeros past the file's end). */
    private void ensure(long from, int length) throws IOException {
        if (from >= windowStart && windowStart >= 0 && from + length <= windowStart + windowLength) {
            return;
        }
        long start = from & -BLOCK;
        long needed = from + length - start;
        if (needed > window.byteSize()) {
            window = AlignedBuffers.allocate(arena, AlignedBuffers.roundUp(needed, BLOCK), BLOCK);
            view = RecordFormat.view(window);
        }
        long want = Math.min(window.byteSize(), Math.max(BLOCK, AlignedBuffers.roundUp(fileSize - start, BLOCK)));
        want = Math.max(want, AlignedBuffers.roundUp(needed, BLOCK));
        MemorySegment target = window.asSlice(0, want);
        int read;
        try {
            read = start >= fileSize ? 0 : file.read(target, start).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("reading " + path + " failed", e.getCause());
        }
        if (read < want) {
            target.asSlice(read).fill((byte) 0);
        }
        windowStart = start;
        windowLength = want;
    }

    @Override
    public void close() {
        file.close();
        arena.close();
    }
}
