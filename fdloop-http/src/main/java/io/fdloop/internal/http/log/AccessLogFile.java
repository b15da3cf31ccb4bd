package io.fdloop.internal.http.log;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One access log shared by the writers of several loops: its path, and where the next bytes go. Each
 * writer reserves a range for a whole buffer of lines with one atomic add and writes it there with a
 * positioned write, so writers on different loops never overlap and never split a line.
 *
 * <p><b>Thread-safe.</b>
 *
 * <p>{@link #reopen()} (on SIGHUP, after the file was renamed by log rotation) starts a new generation:
 * each writer, when told, opens the path anew, and the first to open it sets the generation's start
 * from the new file's size. Positions are this process's own: another process appending to the same
 * file, or a rotation by copy-and-truncate, is not seen (a file truncated under the writers gets a
 * hole of zeros up to where they continue).
 */
public final class AccessLogFile {
    /** The file as one generation knows it: where the next reserved range begins. */
    static final class Generation {
        final long id;
        private final AtomicLong next = new AtomicLong(-1);

        private Generation(long id) {
            this.id = id;
        }

        /** Sets the start once, from the size the first writer to open this generation's file saw. */
        void start(long size) {
            next.compareAndSet(-1, size);
        }

        /** The position of {@code length} bytes of this writer's, reserved for it alone. */
        long reserve(long length) {
            return next.getAndAdd(length);
        }
    }

    private final Path path;
    private volatile Generation current = new Generation(0);

    public AccessLogFile(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    public Path path() {
        return path;
    }

    /** Starts a new generation: writers reopen the path when their {@code reopen()} is called. Any thread. */
    public synchronized void reopen() {
        current = new Generation(current.id + 1);
    }

    Generation current() {
        return current;
    }
}
