package io.fdloop.internal.loop;

/**
 * What the builder decided for one loop's file I/O.
 *
 * @param aioQueueDepth     entries asked of {@code io_setup}; the kernel may give more
 * @param forceIoGetevents  reap AIO completions with {@code io_getevents} even when the user-space ring is usable
 * @param fileThreads       worker threads for the thread backend
 * @param fileBackend       {@code "auto"}, {@code "aio"} or {@code "threads"}
 */
public record LoopSettings(int aioQueueDepth, boolean forceIoGetevents, int fileThreads, String fileBackend) {
}
