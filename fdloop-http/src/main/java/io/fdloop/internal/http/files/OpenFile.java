package io.fdloop.internal.http.files;

import io.fdloop.file.AsyncFile;

/**
 * An open file shared by the open-file cache and the responses sending it: closed when the last of
 * them lets go, so a file evicted or replaced in the cache is still whole for a response in flight.
 *
 * <p><b>Loop thread only</b> once published: it is created (holding one reference, its creator's) on
 * a lookup thread and handed to the loop through {@code EventLoop.execute}, which orders the two.
 */
public final class OpenFile {
    private final AsyncFile file;
    private int references = 1;

    OpenFile(AsyncFile file) {
        this.file = file;
    }

    /** The file, open for reading; {@link AsyncFile#isDirect()} says whether it was opened O_DIRECT. */
    public AsyncFile file() {
        return file;
    }

    /** Takes one more reference. Loop thread only. */
    public void retain() {
        if (references <= 0) {
            throw new IllegalStateException(file.path() + " was already closed: retained after its last release");
        }
        references++;
    }

    /** Lets go of one reference; the last closes the file (after any read in flight). Loop thread only. */
    public void release() {
        if (references <= 0) {
            throw new IllegalStateException(file.path() + " released more often than retained");
        }
        if (--references == 0) {
            file.closeAsync();
        }
    }

    /** Whether the file has been let go by everyone (and closed). Loop thread only. */
    public boolean isReleased() {
        return references == 0;
    }

    @Override
    public String toString() {
        return "OpenFile[" + file.path() + ", references=" + references + "]";
    }
}
