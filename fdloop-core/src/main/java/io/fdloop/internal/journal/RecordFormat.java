package io.fdloop.internal.journal;


import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * The bytes of a segment: a header, then records, each starting at a multiple of 8 bytes.
 * Little-endian throughout.
 *
 * <pre>
 * segment header, at offset 0:
 *  0        8        12       16                24               32               40         60       64
 *  +--------+--------+--------+-----------------+----------------+----------------+----------+--------+
 *  | magic  |version | length |    sequence     |  segment size  |      salt      | reserved | crc32c |
 *  +--------+--------+--------+-----------------+----------------+----------------+----------+--------+
 *    crc32c covers bytes [0, 60); salt is random for each life of the file
 *
 * record, at offset o (o % 8 == 0, o >= 64):
 *  o        o+4      o+8        o+12       o+16
 *  +--------+--------+----------+----------+-------------------------- - - - -+---------+
 *  | length |  crc   | previous | sequence |  payload (length bytes)           | 0 to 7  |
 *  |        |        |   crc    | (low 32) |                                   | zeros   |
 *  +--------+--------+----------+----------+-------------------------- - - - -+---------+
 *    crc = crc32c of bytes [o, o+4) ++ [o+8, o+16+length)
 *    previous crc: the crc of the record before it in the segment, the header's crc for the first
 * </pre>
 *
 * A record is valid only if its checksum matches, its sequence is its segment's and it chains to
 * the record before it. The chain is what keeps stale bytes from ever reading as records: a
 * recycled segment's old records carry another sequence and another salt, and records left behind
 * a torn write or a recovery point cannot chain to what was written after them.
 *
 * <p><b>Stateless; thread-safe</b> (the {@link CRC32C} passed in belongs to the caller).
 */
public final class RecordFormat {
    public static final long MAGIC = 0x4c4e524a_4c444631L; // "1FDLJRNL" read little-endian
    public static final int VERSION = 1;
    public static final int HEADER_SIZE = 64;
    public static final int RECORD_HEADER = 16;
    public static final int ALIGN = 8;

    public static final int H_MAGIC = 0, H_VERSION = 8, H_LENGTH = 12, H_SEQUENCE = 16, H_SEGMENT_SIZE = 24, H_SALT = 32,
            H_CRC = 60;
    public static final int R_LENGTH = 0, R_CRC = 4, R_PREVIOUS = 8, R_SEQUENCE = 12;

    private RecordFormat() {
    }

    /** Bytes a record of {@code length} payload bytes takes, header and padding included. */
    public static long frameSize(long length) {
        return (RECORD_HEADER + length + ALIGN - 1) & -ALIGN;
    }

    /** The most payload one segment of {@code segmentSize} bytes can hold in one record. */
    public static long maxPayload(long segmentSize) {
        return segmentSize - HEADER_SIZE - RECORD_HEADER;
    }

    /** Writes a segment header at {@code at}; returns its crc, the first record's "previous crc". */
    public static int writeHeader(MemorySegment memory, ByteBuffer view, long at, long sequence, long segmentSize, long salt,
                           CRC32C crc) {
        memory.set(JAVA_LONG_UNALIGNED, at + H_MAGIC, MAGIC);
        memory.set(JAVA_INT_UNALIGNED, at + H_VERSION, VERSION);
        memory.set(JAVA_INT_UNALIGNED, at + H_LENGTH, HEADER_SIZE);
        memory.set(JAVA_LONG_UNALIGNED, at + H_SEQUENCE, sequence);
        memory.set(JAVA_LONG_UNALIGNED, at + H_SEGMENT_SIZE, segmentSize);
        memory.set(JAVA_LONG_UNALIGNED, at + H_SALT, salt);
        for (long i = 40; i < H_CRC; i += 4) {
            memory.set(JAVA_INT_UNALIGNED, at + i, 0);
        }
        int value = headerCrc(view, (int) at, crc);
        memory.set(JAVA_INT_UNALIGNED, at + H_CRC, value);
        return value;
    }

    public static int headerCrc(ByteBuffer view, int at, CRC32C crc) {
        crc.reset();
        crc.update(view.clear().position(at).limit(at + H_CRC));
        return (int) crc.getValue();
    }

    /**
     * Writes a record's header for the payload already at {@code at + RECORD_HEADER}, and zeros its
     * padding; returns its crc.
     */
    public static int sealRecord(MemorySegment memory, ByteBuffer view, long at, int length, int previousCrc, long sequence,
                          CRC32C crc) {
        memory.set(JAVA_INT_UNALIGNED, at + R_LENGTH, length);
        memory.set(JAVA_INT_UNALIGNED, at + R_PREVIOUS, previousCrc);
        memory.set(JAVA_INT_UNALIGNED, at + R_SEQUENCE, (int) sequence);
        long end = at + RECORD_HEADER + length;
        long padded = at + frameSize(length);
        for (long i = end; i < padded; i++) {
            memory.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) 0);
        }
        int value = recordCrc(view, (int) at, length, crc);
        memory.set(JAVA_INT_UNALIGNED, at + R_CRC, value);
        return value;
    }

    /** The crc a record of {@code length} bytes at {@code at} should carry. */
    public static int recordCrc(ByteBuffer view, int at, int length, CRC32C crc) {
        crc.reset();
        crc.update(view.clear().position(at + R_LENGTH).limit(at + R_LENGTH + 4));
        crc.update(view.clear().position(at + R_PREVIOUS).limit(at + RECORD_HEADER + length));
        return (int) crc.getValue();
    }

    /** A little-endian view of all of {@code memory}, for checksums and bulk copies. */
    public static ByteBuffer view(MemorySegment memory) {
        return memory.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }
}
