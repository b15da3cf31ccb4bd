package io.fdloop.internal.loop;

/**
 * A kind of I/O taking part in its loop's close, which runs in three steps on the loop thread:
 * <ol>
 *   <li>{@link #beginShutdown()}: stop taking work; what is in flight may still complete;</li>
 *   <li>the loop keeps iterating, delivering completions, until every source is idle; if half its
 *       close timeout passes first, {@link #cancelInFlight()}, and if all of it passes,
 *       {@link #abandonInFlight()};</li>
 *   <li>{@link #finishShutdown()}: release what is left (fds, memory no request can still use).</li>
 * </ol>
 *
 * <p><b>Loop thread only.</b>
 */
public interface ShutdownParticipant {

    /** Step 1: closes every open file or connection; what is in flight may still complete. */
    void beginShutdown();

    /** Step 2, when half the close timeout passed: asks the kernel to cancel what is still in flight. */
    void cancelInFlight();

    /**
     * Step 2, only when the close timeout passed with requests still in flight: fails each of them
     * with an {@code AsynchronousCloseException} and keeps the memory they reference alive for good
     * (the kernel may still write to it).
     */
    void abandonInFlight();

    /** Step 3: everything has completed or was abandoned. */
    void finishShutdown();
}
