package io.fdloop;

/**
 * Which mechanism a loop's files use. {@link #AUTO} is right for almost everyone; the others
 * are for benchmarks, tests and working around a kernel.
 */
public enum FileBackendChoice {
    /** Direct (O_DIRECT) files on Linux AIO when the kernel allows it, buffered files on the thread pool. */
    AUTO,
    /**
     * Every file on Linux AIO. For a buffered file the kernel then performs each request inside
     * {@code io_submit}, on the loop thread: right for devices that never wait (such as
     * {@code /dev/zero}, to measure the software path), wrong for a disk.
     */
    AIO,
    /** Every file on the thread pool (blocking pread/pwrite on worker threads). */
    THREADS;

    /** The choice named by {@code -Dfdloop.backend=auto|aio|threads}, or AUTO when it is not set. */
    static FileBackendChoice fromSystemProperty() {
        String value = System.getProperty("fdloop.backend");
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        for (FileBackendChoice choice : values()) {
            if (choice.name().equalsIgnoreCase(value.trim())) {
                return choice;
            }
        }
        throw new IllegalArgumentException("-Dfdloop.backend must be auto, aio or threads, was " + value);
    }
}
