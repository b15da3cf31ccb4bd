package io.fdloop;

/**
 * Watches what a loop does, for tracing and metrics: each batch it sends to a backend and each
 * wake-up of its internal sources. Called on the loop thread, on the hot path: keep it cheap.
 *
 * <p>Sources: {@code "uring"} (the loop's io_uring eventfd), {@code "aio"} (the Linux AIO eventfd),
 * {@code "threads"} (the file thread pool's eventfd), {@code "timer"} (the timerfd), {@code "signal"}
 * and {@code "wake"} (a cross-thread {@code execute}). User registrations are not reported: their
 * handlers see them.
 *
 * <p><b>Called on the loop thread only.</b>
 */
public interface LoopObserver {

    /**
     * {@code requests} operations went to {@code backend} in one call ({@code io_uring_enter},
     * {@code io_submit}, or one hand-over to the thread pool).
     *
     * @param backend  the source's name
     * @param requests how many
     */
    default void submitted(String backend, int requests) {
    }

    /**
     * {@code source}'s fd woke the loop; {@code counter} is what its eventfd or timerfd read returned
     * (for aio: completions the kernel signalled), {@code handled} how many completions, timers or
     * signal handlers ran.
     *
     * @param source  the source's name
     * @param counter what its fd's read returned
     * @param handled how many completions, timers or handlers ran
     */
    default void woke(String source, long counter, int handled) {
    }
}
