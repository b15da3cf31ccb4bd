package io.fdloop.journal;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One record read back from a journal: its position and a copy of its bytes.
 *
 * <p><b>Immutable; thread-safe.</b>
 */
public final class JournalRecord {
    private final long position;
    private final byte[] payload;

    JournalRecord(long position, byte[] payload) {
        this.position = position;
        this.payload = Objects.requireNonNull(payload, "payload");
    }

    /** The position its append completed with. Any thread. */
    public long position() {
        return position;
    }

    /** Its length in bytes. Any thread. */
    public int length() {
        return payload.length;
    }

    /** Its bytes, read-only. Any thread. */
    public ByteBuffer payload() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /** A copy of its bytes. Any thread. */
    public byte[] toByteArray() {
        return payload.clone();
    }

    @Override
    public String toString() {
        return "JournalRecord[" + Positions.describe(position) + ", " + payload.length + " bytes]";
    }
}
