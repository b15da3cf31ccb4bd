package io.fdloop.journal;


import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and why recovery stopped reading a journal: the first thing after the last valid record.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param segment  the segment file it stopped in
 * @param sequence that segment's sequence number
 * @param offset   the byte offset in the segment where the next record would have begun
 * @param reason   what was found there
 * @param detail   a sentence for people (the length or checksum found, and what was expected)
 */
public record RecoveryStop(Path segment, long sequence, long offset, Reason reason, String detail) {

    /** What recovery found after the last valid record. */
    public enum Reason {
        /** Zeros: nothing was ever written there. The clean end of a journal. */
        END_OF_DATA,
        /** The segment is full: no record fits in the bytes left. A clean end. */
        SEGMENT_FULL,
        /**
         * A well-formed record from an earlier life of a recycled segment file, or one left behind
         * a previous recovery point: it does not chain to the record before it. A clean end.
         */
        STALE_RECORD,
        /**
         * A record whose checksum or length is wrong: a write torn by a crash (its append never
         * completed) or corruption. Nothing after it is read.
         */
        TORN_RECORD,
        /** A segment whose header is not valid while later segments exist: corruption. Nothing after it is read. */
        BAD_SEGMENT_HEADER,
        /** The directory holds no segment with records yet. */
        EMPTY
    }

    /** Checks the stop's fields. */
    public RecoveryStop {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * Whether this is how a journal ends when nothing went wrong (no torn or corrupt data was met). Any thread.
     *
     * @return true for a clean end
     */
    public boolean isCleanEnd() {
        return reason != Reason.TORN_RECORD && reason != Reason.BAD_SEGMENT_HEADER;
    }
}
