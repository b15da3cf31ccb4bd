package io.fdloop.file;

import io.fdloop.internal.file.aio.AioBackend;
import io.fdloop.internal.linux.Syscalls;
import io.fdloop.internal.uring.UringAvailability;

/**
 * The mechanisms that perform file I/O. {@link #AUTO} is right for almost everyone; the others
 * are for benchmarks, tests and working around a kernel. A loop's choice is in its
 * {@link FileSettings}; one file can ask for its own with
 * {@link AsyncFile#open(io.fdloop.EventLoop, java.nio.file.Path, FileBackend, java.util.Set)}.
 *
 * <p><b>Immutable; thread-safe.</b>
 */
public enum FileBackend {
    /**
     * The best the host allows, per file: io_uring when it is usable; else direct (O_DIRECT) files
     * on Linux AIO and buffered files on the thread pool (never buffered files on Linux AIO, which
     * would block the loop).
     */
    AUTO,
    /**
     * Every file on Linux AIO. For a buffered file the kernel then performs each request inside
     * {@code io_submit}, on the loop thread: right for devices that never wait (such as
     * {@code /dev/zero}, to measure the software path), wrong for a disk.
     */
    AIO,
    /** Every file on io_uring, its eventfd registered with {@code IORING_REGISTER_EVENTFD}. */
    URING,
    /** Every file on the thread pool (blocking pread/pwrite on worker threads). */
    THREADS;

    /**
     * Whether this backend can be used in this process. Probed once, by setting up (and tearing
     * down) a small context or ring; AUTO and THREADS are always available. Any thread.
     *
     * @return true when the kernel allows it here
     */
    public boolean isAvailable() {
        return unavailabilityCause() == null;
    }

    /**
     * Why this backend cannot be used here. Any thread.
     *
     * @return the kernel's answer, in words, or null when it can be used
     */
    public String unavailabilityCause() {
        return switch (this) {
            case AIO -> Probe.AIO;
            case URING -> Probe.URING;
            case AUTO, THREADS -> null;
        };
    }

    /**
     * The backends {@link #AUTO} tries for a file, best first: io_uring, then Linux AIO for direct
     * files only (it would run buffered I/O synchronously inside {@code io_submit}), then threads.
     * Any thread.
     *
     * @param direct whether the file is opened with {@link FileOption#DIRECT}
     * @return the order of preference
     */
    public static java.util.List<FileBackend> autoPreference(boolean direct) {
        return direct ? java.util.List.of(URING, AIO, THREADS) : java.util.List.of(URING, THREADS);
    }

    /**
     * What {@link #AUTO} picks in this process for a direct or a buffered file: the first available.
     * Any thread.
     *
     * @param direct whether the file is opened with {@link FileOption#DIRECT}
     * @return the backend a new file would get
     */
    public static FileBackend autoFor(boolean direct) {
        for (FileBackend choice : autoPreference(direct)) {
            if (choice.isAvailable()) {
                return choice;
            }
        }
        return THREADS;
    }

    private static final class Probe {
        static final String AIO = AioBackend.probe(Syscalls.linux());
        static final String URING = UringAvailability.probe(Syscalls.linux());
    }

    /** The choice named by {@code -Dfdloop.backend=auto|aio|uring|threads}, or AUTO when it is not set. */
    static FileBackend fromSystemProperty() {
        String value = System.getProperty("fdloop.backend");
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        for (FileBackend choice : values()) {
            if (choice.name().equalsIgnoreCase(value.trim())) {
                return choice;
            }
        }
        throw new IllegalArgumentException("-Dfdloop.backend must be auto, aio, uring or threads, was " + value);
    }
}
