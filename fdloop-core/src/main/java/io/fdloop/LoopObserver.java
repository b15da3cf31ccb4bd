package io.fdloop;

/**
 * Watches what a loop does, for tracing and metrics: each batch it sends to a backend and each
 * wake-up of its internal sources. Called on the loop thread, on the hot path: keep it cheap.
 *
 * <p>Sources: {@code "aio"} (the Linux AIO eventfd), {@code "threads"} (the file thread pool's
 * eventfd), {@code "timer"} (the timerfd), {@code "signal"} and {@code "wake"} (a cross-thread
 * {@code execute}). User registrations are not reported: their handlers see them.
 */
public interface LoopObserver {

    /** {@code requests} operations went to {@code backend} in one call ({@code io_submit} for aio). */
    default void submitted(String backend, int requests) {
    }

    /**
     * {@code source}'s fd woke the loop; {@code counter} is what its eventfd or timerfd read returned
     * (for aio: completions the kernel signalled), {@code handled} how many completions, timers or
     * signal handlers ran.
     */
    default void woke(String source, long counter, int handled) {
    }
}
