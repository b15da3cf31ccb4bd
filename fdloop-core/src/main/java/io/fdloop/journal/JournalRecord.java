package io.fdloop.journal;

import io.fdloop.internal.journal.Positions;

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

    /**
     * The position its append completed with. Any thread.
     *
     * @return the position
     */
    public long position() {
        return position;
    }

    /**
     * Its length in bytes. Any thread.
     *
     * @return the payload's length
     */
    public int length() {
        return payload.length;
    }

    /**
     * Its bytes, read-only. Any thread.
     *
     * @return a read-only view of the payload
     */
    public ByteBuffer payload() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /**
     * A copy of its bytes. Any thread.
     *
     * @return the payload, copied
     */
    public byte[] toByteArray() {
        return payload.clone();
    }

    @Override
    public String toString() {
        return "JournalRecord[" + Positions.describe(position) + ", " + payload.length + " bytes]";
    }
}
