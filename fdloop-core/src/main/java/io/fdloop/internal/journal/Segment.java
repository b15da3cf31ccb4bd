package io.fdloop.internal.journal;


import io.fdloop.file.AsyncFile;

import java.nio.file.Path;

/**
 * One segment open for appending: its file, its identity and how far its header is durable.
 *
 * <p><b>Loop thread only</b> once handed to the committer.
 */
public final class Segment {
    public final long sequence;
    public final Path path;
    public final long size;
    public final long salt;
    public final AsyncFile file;
    /** Whether the header is on disk (a resumed segment, or one whose first batch completed). */
    public boolean headerDurable;

    public Segment(long sequence, Path path, long size, long salt, AsyncFile file, boolean headerDurable) {
        this.sequence = sequence;
        this.path = path;
        this.size = size;
        this.salt = salt;
        this.file = file;
        this.headerDurable = headerDurable;
    }

    @Override
    public String toString() {
        return "segment " + sequence + " (" + path.getFileName() + ")";
    }
}
