package io.fdloop;

/**
 * A signal handler installed with {@link EventLoop#onSignal(Signal, Runnable)}.
 *
 * <p><b>Thread-safe</b>: every method may be called from any thread.
 */
public interface SignalRegistration extends AutoCloseable {

    /**
     * The signal handled. Any thread.
     *
     * @return the signal given to {@link EventLoop#onSignal}
     */
    Signal signal();

    /**
     * Whether the handler was removed, by {@link #cancel()} or by its loop's close. Any thread.
     *
     * @return true once removed
     */
    boolean isCancelled();

    /**
     * Removes the handler. When no loop handles the signal any more, the JVM's own handler comes
     * back (for INT, TERM and HUP: run the shutdown hooks and exit). Idempotent. Any thread.
     */
    void cancel();

    /** Same as {@link #cancel()}. */
    @Override
    default void close() {
        cancel();
    }
}
