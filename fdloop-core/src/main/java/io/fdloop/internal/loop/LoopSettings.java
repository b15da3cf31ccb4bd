package io.fdloop.internal.loop;

/**
 * What the builder decided for one loop's file I/O.
 *
 * @param queueDepth        requests each file backend may have in flight
 * @param forceIoGetevents  reap AIO completions with {@code io_getevents} even when the user-space ring is usable
 * @param fileThreads       worker threads for the thread backend
 * @param fileBackend       {@code "auto"}, {@code "aio"}, {@code "uring"} or {@code "threads"}
 */
public record LoopSettings(int queueDepth, boolean forceIoGetevents, int fileThreads, String fileBackend) {
}
