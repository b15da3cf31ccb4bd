package io.fdloop.internal.http.files;

import io.fdloop.EventLoop;
import io.fdloop.internal.http.request.RequestPath;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A loop's way to find files without blocking: the open-file cache first ({@link #cached}); on a miss,
 * {@link #lookup} runs the {@link FileResolver} on a lookup thread and hands the result back to the
 * loop thread. Lookups of one path that overlap share one filesystem walk.
 *
 * <p><b>Loop thread only</b>, except the lookup itself, which runs on the {@code blocking} executor.
 *
 * <p>Ownership: a resolution handed to the caller (returned by {@link #cached} or passed to a
 * {@link Callback}) carries one reference that the caller must {@link Resolution#release()} once the
 * response using it has been sent or abandoned.
 */
public final class FileLookups {
    /** Receives a resolution on the loop thread. */
    @FunctionalInterface
    public interface Callback {
        void resolved(Resolution resolution);
    }

    private final EventLoop loop;
    private final Executor blocking;
    private final FileResolver resolver;
    private final OpenFileCache cache;
    private final Map<String, List<Callback>> pending = new HashMap<>();

    public FileLookups(EventLoop loop, Executor blocking, FileResolver resolver, OpenFileCache cache) {
        this.loop = loop;
        this.blocking = blocking;
        this.resolver = resolver;
        this.cache = cache;
    }

    public EventLoop loop() {
        return loop;
    }

    public OpenFileCache cache() {
        return cache;
    }

    /** A cached resolution for {@code path} (a reference taken for the caller), or null. Loop thread only. */
    public Resolution cached(RequestPath path) {
        return cache.get(path.path());
    }

    /**
     * Resolves {@code path} off the loop; {@code callback} runs on the loop thread, later (never inside
     * this call). Loop thread only.
     */
    public void lookup(RequestPath path, Callback callback) {
        String key = path.path();
        List<Callback> waiting = pending.get(key);
        if (waiting != null) {
            waiting.add(callback);
            return;
        }
        waiting = new ArrayList<>(2);
        waiting.add(callback);
        pending.put(key, waiting);
        try {
            blocking.execute(() -> {
                Resolution resolution = resolveQuietly(path);
                try {
                    loop.execute(() -> deliver(key, resolution));
                } catch (RejectedExecutionException e) {
                    resolution.release(); // the loop is gone: nobody else holds this resolution
                }
            });
        } catch (RejectedExecutionException e) {
            Resolution refused = new Resolution.Refused(503, "lookup threads refused the work");
            try {
                loop.execute(() -> deliver(key, refused));
            } catch (RejectedExecutionException closing) {
                pending.remove(key); // the loop is closing: its connections go with it
            }
        }
    }

    private Resolution resolveQuietly(RequestPath path) {
        try {
            return resolver.resolve(path, loop);
        } catch (RuntimeException e) {
            return new Resolution.Refused(500, "lookup failed: " + e);
        }
    }

    private void deliver(String key, Resolution resolution) {
        cache.put(key, resolution);
        List<Callback> waiting = pending.remove(key);
        for (Callback callback : waiting) {
            resolution.retain();
            callback.resolved(resolution);
        }
        resolution.release(); // the resolver's own reference
    }
}
