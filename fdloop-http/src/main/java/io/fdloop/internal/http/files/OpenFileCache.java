package io.fdloop.internal.http.files;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Resolutions kept open per loop, as nginx's {@code open_file_cache}: at most {@code maxEntries}
 * (least recently used evicted first), each trusted for {@code validityNanos} after its lookup and
 * then looked up again. Only found files and directory redirects are kept; a missing file is not, so
 * a file created later is served at once. {@link #invalidate} drops an entry early (a file watcher
 * calls it when something under the root changes).
 *
 * <p><b>Loop thread only.</b> The cache holds one reference to each entry's files; an evicted,
 * expired or invalidated entry lets go of it, and the files close once responses in flight are done.
 */
public final class OpenFileCache {
    private record Entry(Resolution resolution, long loadedNanos) {
    }

    private final int maxEntries;
    private final long validityNanos;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);

    /**
     * @param maxEntries    0 keeps nothing
     * @param validityNanos how long an entry is trusted
     * @param nanoClock     monotonic time ({@code System::nanoTime})
     */
    public OpenFileCache(int maxEntries, long validityNanos, LongSupplier nanoClock) {
        if (maxEntries < 0 || validityNanos < 0) {
            throw new IllegalArgumentException("maxEntries and validityNanos must be >= 0, were " + maxEntries
                    + " and " + validityNanos);
        }
        this.maxEntries = maxEntries;
        this.validityNanos = validityNanos;
        this.nanoClock = nanoClock;
    }

    /** Whether a resolution of this kind is kept. */
    static boolean isCacheable(Resolution resolution) {
        return resolution instanceof Resolution.Found || resolution instanceof Resolution.Redirect;
    }

    /** A valid cached resolution, with a reference taken for the caller; or null. Loop thread only. */
    public Resolution get(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (nanoClock.getAsLong() - e.loadedNanos >= validityNanos) {
            entries.remove(key);
            e.resolution.release();
            return null;
        }
        e.resolution.retain();
        return e.resolution;
    }

    /**
     * Keeps {@code resolution} (taking a reference of its own) under {@code key}, replacing what was
     * there; does nothing for a kind that is not kept or when the cache is off. Loop thread only.
     */
    public void put(String key, Resolution resolution) {
        if (maxEntries == 0 || !isCacheable(resolution)) {
            return;
        }
        resolution.retain();
        Entry previous = entries.put(key, new Entry(resolution, nanoClock.getAsLong()));
        if (previous != null) {
            previous.resolution.release();
        }
        if (entries.size() > maxEntries) {
            Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
            Entry evicted = eldest.next().getValue();
            eldest.remove();
            evicted.resolution.release();
        }
    }

    /** Drops the entry for {@code key}, if any. Loop thread only. */
    public void invalidate(String key) {
        Entry e = entries.remove(key);
        if (e != null) {
            e.resolution.release();
        }
    }

    /** Drops every entry whose key starts with {@code prefix} (a directory's path ending with {@code /}). Loop thread only. */
    public void invalidateUnder(String prefix) {
        List<String> doomed = new ArrayList<>();
        for (String key : entries.keySet()) {
            if (key.startsWith(prefix)) {
                doomed.add(key);
            }
        }
        doomed.forEach(this::invalidate);
    }

    /**
     * Drops every entry serving a file at or below {@code changed}, a real path (what a file watcher
     * reports: a file written, replaced or removed, or a directory renamed). Costs one pass over the
     * entries. Loop thread only.
     */
    public void invalidateFile(Path changed) {
        List<String> doomed = new ArrayList<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (e.getValue().resolution instanceof Resolution.Found found && found.file().servesFileUnder(changed)) {
                doomed.add(e.getKey());
            }
        }
        doomed.forEach(this::invalidate);
    }

    /** Drops every entry. Loop thread only. */
    public void clear() {
        for (Entry e : entries.values()) {
            e.resolution.release();
        }
        entries.clear();
    }

    /** Entries kept. Loop thread only. */
    public int size() {
        return entries.size();
    }
}
