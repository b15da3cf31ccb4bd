package io.fdloop.internal.http.files;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A file found under the root, with its precompressed siblings if it has any.
 *
 * <p><b>Immutable; any thread</b>, except {@link #retain()}, {@link #release()} and the planner's slot
 * ({@link #formatted}), which are loop thread only.
 */
public final class StaticFile {
    private static final ContentCoding[] CODINGS = ContentCoding.values();

    private final String contentType;
    private final Representation[] byCoding = new Representation[CODINGS.length];
    private final Representation[] present;
    private final byte[][] formatted = new byte[CODINGS.length][];

    /**
     * @param contentType the Content-Type of the file's name (also for its encoded siblings)
     * @param identity    the file itself
     * @param encoded     siblings by coding ({@code file.br}, {@code file.gz}), possibly none
     */
    public StaticFile(String contentType, Representation identity, Map<ContentCoding, Representation> encoded) {
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        byCoding[ContentCoding.IDENTITY.ordinal()] = Objects.requireNonNull(identity, "identity");
        encoded.forEach((coding, r) -> byCoding[coding.ordinal()] = r);
        int n = 0;
        for (Representation r : byCoding) {
            n += r == null ? 0 : 1;
        }
        present = new Representation[n];
        n = 0;
        for (Representation r : byCoding) {
            if (r != null) {
                present[n++] = r;
            }
        }
    }

    public String contentType() {
        return contentType;
    }

    public Representation identity() {
        return byCoding[ContentCoding.IDENTITY.ordinal()];
    }

    /** The representation stored in {@code coding}, or null. */
    public Representation representation(ContentCoding coding) {
        return byCoding[coding.ordinal()];
    }

    /** Whether a precompressed sibling exists: responses then vary on {@code Accept-Encoding}. */
    public boolean hasEncodedSiblings() {
        return present.length > 1;
    }

    /** Whether one of the representations is the file at {@code path} or lies below it. */
    public boolean servesFileUnder(Path path) {
        for (Representation r : present) {
            if (r.file().file().path().startsWith(path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The response planner's slot for what it formatted once for a representation (its header fields),
     * null until it put something there. Loop thread only.
     */
    public byte[] formatted(ContentCoding coding) {
        return formatted[coding.ordinal()];
    }

    /** Fills the planner's slot for {@code coding}. Loop thread only. */
    public void formatted(ContentCoding coding, byte[] bytes) {
        formatted[coding.ordinal()] = bytes;
    }

    /** Takes a reference to every representation's file. Loop thread only. */
    public void retain() {
        for (Representation r : present) {
            r.file().retain();
        }
    }

    /** Lets go of a reference to every representation's file. Loop thread only. */
    public void release() {
        for (Representation r : present) {
            r.file().release();
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("StaticFile[").append(identity().file().file().path());
        for (Representation r : present) {
            sb.append(", ").append(r.coding().token());
        }
        return sb.append(']').toString();
    }
}
