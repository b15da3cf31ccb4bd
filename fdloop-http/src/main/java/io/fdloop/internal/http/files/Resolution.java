package io.fdloop.internal.http.files;

import io.fdloop.internal.http.request.RequestPath;

import java.util.Objects;

/**
 * What a request path names under the root, once the filesystem has been asked.
 *
 * <p><b>Immutable; any thread</b> ({@link #retain()} and {@link #release()}: loop thread only).
 */
public sealed interface Resolution {
    /** Takes a reference to the files this resolution holds open, if any. Loop thread only. */
    default void retain() {
    }

    /** Lets go of a reference to the files this resolution holds open, if any. Loop thread only. */
    default void release() {
    }

    /** A regular file to serve. */
    record Found(StaticFile file) implements Resolution {
        public Found {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public void retain() {
            file.retain();
        }

        @Override
        public void release() {
            file.release();
        }
    }

    /** A directory asked for without its trailing slash: 301 to {@code location}. */
    record Redirect(RequestPath location) implements Resolution {
    }

    /** A directory without {@code index.html}, listed. */
    record Listing(byte[] html) implements Resolution {
    }

    /** Nothing to serve: 403, 404, 500 or 503, and why (for the log, never for the client). */
    record Refused(int status, String reason) implements Resolution {
    }
}
