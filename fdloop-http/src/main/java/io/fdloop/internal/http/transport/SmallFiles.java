package io.fdloop.internal.http.transport;

import io.fdloop.file.AsyncFile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The whole content of small open files, kept in memory per loop, so that a hot small file goes out
 * copied behind its head in the same {@code sendmsg} (one system call per response, and one for a
 * whole pipelined batch) instead of a {@code cachestat} and a {@code sendfile} of a few bytes each.
 *
 * <p>Keyed by the open file itself: the open-file cache decides how long a file is trusted, and a file
 * looked up again is a new open file (and a new entry); entries of files no longer used fall out of the
 * least-recently-used order once the loop's budget is spent. The first response for a file is sent from
 * the file ({@code sendFile}) while one asynchronous read, through the file's own backend, loads it; a
 * read that comes back longer than {@link #maxFileBytes()} means the file is not small, and nothing is
 * kept. Files opened {@code O_DIRECT} are never loaded.
 *
 * <p><b>Loop thread only.</b>
 */
final class SmallFiles {
    private final int maxFileBytes;
    private final long maxTotalBytes;
    private final LinkedHashMap<AsyncFile, MemorySegment> contents = new LinkedHashMap<>(64, 0.75f, true);
    private final Set<AsyncFile> loading = new HashSet<>();
    private long totalBytes;

    /**
     * @param maxFileBytes  files up to this size are kept; 0 keeps none
     * @param maxTotalBytes what this loop keeps at most
     */
    SmallFiles(int maxFileBytes, long maxTotalBytes) {
        this.maxFileBytes = maxFileBytes;
        this.maxTotalBytes = maxTotalBytes;
    }

    int maxFileBytes() {
        return maxFileBytes;
    }

    /**
     * The bytes {@code [position, position + length)} of {@code file} if its content is in memory and holds
     * them; else null, and a load begins if the file may be small and none is under way.
     */
    MemorySegment bytes(AsyncFile file, long position, long length) {
        if (maxFileBytes == 0) {
            return null;
        }
        MemorySegment content = contents.get(file);
        if (content != null) {
            return position + length <= content.byteSize() ? content.asSlice(position, length) : null;
        }
        if (position + length <= maxFileBytes && !file.isDirect() && loading.add(file)) {
            MemorySegment buffer = Arena.ofAuto().allocate(maxFileBytes + 1L);
            file.read(buffer, 0, file, (loaded, bytes, failure) -> loaded(loaded, buffer, bytes, failure));
        }
        return null;
    }

    private void loaded(AsyncFile file, MemorySegment buffer, int bytes, Throwable failure) {
        loading.remove(file);
        if (failure != null || bytes < 0 || bytes > maxFileBytes || !file.isOpen()) {
            return; // failed, closed meanwhile, or not small: it keeps going by sendFile
        }
        MemorySegment content = MemorySegment.ofArray(buffer.asSlice(0, bytes).toArray(JAVA_BYTE));
        MemorySegment previous = contents.put(file, content);
        totalBytes += bytes - (previous == null ? 0 : previous.byteSize());
        Iterator<Map.Entry<AsyncFile, MemorySegment>> eldest = contents.entrySet().iterator();
        while (totalBytes > maxTotalBytes && eldest.hasNext()) {
            totalBytes -= eldest.next().getValue().byteSize();
            eldest.remove();
        }
    }

    /** Files kept now. */
    int size() {
        return contents.size();
    }
}
