package io.fdloop.internal.http.response;

import io.fdloop.file.AsyncFile;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * One piece of a response body, in order: bytes already in memory, or a region of an open file that
 * the transport sends from the file (zero copy where it can).
 *
 * <p><b>Immutable; any thread.</b>
 */
public sealed interface BodyPart {
    long length();

    /** Bytes in memory (a heap segment: copy it into the connection's native buffer, or write it as is). */
    record Bytes(MemorySegment bytes) implements BodyPart {
        public Bytes {
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public long length() {
            return bytes.byteSize();
        }
    }

    /**
     * {@code length} bytes of {@code file} from {@code position}. The file stays open until the session
     * is told the response was sent; if it now holds fewer bytes (truncated while being sent), the
     * response cannot be completed and its connection must be closed.
     */
    record FileRegion(AsyncFile file, long position, long length) implements BodyPart {
        public FileRegion {
            Objects.requireNonNull(file, "file");
            if (position < 0 || length <= 0) {
                throw new IllegalArgumentException("a file region needs position >= 0 and length > 0, was "
                        + position + " and " + length);
            }
        }
    }
}
