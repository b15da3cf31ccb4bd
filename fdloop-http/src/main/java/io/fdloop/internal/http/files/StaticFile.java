package io.fdloop.internal.http.files;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A file found under the root, with its precompressed siblings if it has any.
 *
 * <p><b>Immutable; any thread</b>, except that {@link #retain()} and {@link #release()} are loop thread
 * only.
 */
public final class StaticFile {
    private final String contentType;
    private final Map<ContentCoding, Representation> representations;

    /**
     * @param contentType the Content-Type of the file's name (also for its encoded siblings)
     * @param identity    the file itself
     * @param encoded     siblings by coding ({@code file.br}, {@code file.gz}), possibly none
     */
    public StaticFile(String contentType, Representation identity, Map<ContentCoding, Representation> encoded) {
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        EnumMap<ContentCoding, Representation> all = new EnumMap<>(ContentCoding.class);
        all.putAll(encoded);
        all.put(ContentCoding.IDENTITY, Objects.requireNonNull(identity, "identity"));
        this.representations = all;
    }

    public String contentType() {
        return contentType;
    }

    public Representation identity() {
        return representations.get(ContentCoding.IDENTITY);
    }

    /** The representation stored in {@code coding}, or null. */
    public Representation representation(ContentCoding coding) {
        return representations.get(coding);
    }

    /** Whether a precompressed sibling exists: responses then vary on {@code Accept-Encoding}. */
    public boolean hasEncodedSiblings() {
        return representations.size() > 1;
    }

    /** Whether one of the representations is the file at {@code path} or lies below it. */
    public boolean servesFileUnder(Path path) {
        for (Representation r : representations.values()) {
            if (r.file().file().path().startsWith(path)) {
                return true;
            }
        }
        return false;
    }

    /** Takes a reference to every representation's file. Loop thread only. */
    public void retain() {
        for (Representation r : representations.values()) {
            r.file().retain();
        }
    }

    /** Lets go of a reference to every representation's file. Loop thread only. */
    public void release() {
        for (Representation r : representations.values()) {
            r.file().release();
        }
    }

    @Override
    public String toString() {
        return "StaticFile[" + identity().file().file().path() + ", " + representations.keySet() + "]";
    }
}
