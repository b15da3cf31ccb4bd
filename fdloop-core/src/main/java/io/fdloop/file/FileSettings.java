package io.fdloop.file;

import io.fdloop.IoSettings;

import java.util.Objects;

/**
 * How the files of the loops built with these settings are served:
 * {@code EventLoop.builder().with(FileSettings.defaults().withBackend(FileBackend.URING)).start()}.
 * A loop given none uses {@link #defaults()}. One file can still ask for its own backend at open
 * ({@link AsyncFile#open(io.fdloop.EventLoop, java.nio.file.Path, FileBackend, java.util.Set)}); the
 * other settings are the loop's, shared by all its files.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param backend          which mechanism the loop's files use; {@link FileBackend#AUTO} picks the
 *                         best the host allows per file
 * @param queueDepth       how many file requests each backend may have in flight at once: the size
 *                         asked of {@code io_setup} for Linux AIO (the kernel may give more), the
 *                         submission queue of io_uring (rounded up to a power of two; its completion
 *                         queue is twice that). Requests beyond it wait in the loop and go out as
 *                         earlier ones complete. 1 to 65536
 * @param threads          worker threads of the thread backend, for files the kernel cannot serve
 *                         asynchronously. 1 to 1024
 * @param forceIoGetevents reap Linux AIO completions with the {@code io_getevents} system call instead
 *                         of reading the completion ring the kernel maps into user memory: slower;
 *                         for kernels whose ring layout fdloop does not recognise, or to compare
 */
public record FileSettings(FileBackend backend, int queueDepth, int threads, boolean forceIoGetevents)
        implements IoSettings {

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException for a queue depth or thread count out of range
     */
    public FileSettings {
        Objects.requireNonNull(backend, "backend");
        if (queueDepth < 1 || queueDepth > 65536) {
            throw new IllegalArgumentException("queueDepth must be 1 to 65536, was " + queueDepth);
        }
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("threads must be 1 to 1024, was " + threads);
        }
    }

    /**
     * The defaults: {@link FileBackend#AUTO} (or what {@code -Dfdloop.backend=auto|aio|uring|threads}
     * says), queue depth 1024, 4 threads, AIO reaped from user space (unless
     * {@code -Dfdloop.aio.reap=syscall}). Any thread.
     *
     * @return the default settings, as the system properties make them now
     * @throws IllegalArgumentException when {@code -Dfdloop.backend} names no backend
     */
    public static FileSettings defaults() {
        return new FileSettings(FileBackend.fromSystemProperty(), 1024, 4,
                "syscall".equals(System.getProperty("fdloop.aio.reap")));
    }

    /**
     * These settings with another backend.
     *
     * @param backend the mechanism for the loop's files
     * @return new settings
     */
    public FileSettings withBackend(FileBackend backend) {
        return new FileSettings(backend, queueDepth, threads, forceIoGetevents);
    }

    /**
     * These settings with another queue depth.
     *
     * @param depth requests in flight per backend, 1 to 65536
     * @return new settings
     */
    public FileSettings withQueueDepth(int depth) {
        return new FileSettings(backend, depth, threads, forceIoGetevents);
    }

    /**
     * These settings with another number of worker threads for the thread backend.
     *
     * @param count 1 to 1024
     * @return new settings
     */
    public FileSettings withThreads(int count) {
        return new FileSettings(backend, queueDepth, count, forceIoGetevents);
    }

    /**
     * These settings with Linux AIO reaped through {@code io_getevents} or not.
     *
     * @param force true to reap with the system call
     * @return new settings
     */
    public FileSettings withForceIoGetevents(boolean force) {
        return new FileSettings(backend, queueDepth, threads, force);
    }
}
