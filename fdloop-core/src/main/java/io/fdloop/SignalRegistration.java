package io.fdloop;

/**
 * A signal handler installed with {@link EventLoop#onSignal(Signal, Runnable)}.
 *
 * <p><b>Thread-safe.</b>
 */
public final class SignalRegistration implements AutoCloseable {
    private final Reactor reactor;
    private final Signal signal;
    private final Runnable handler;
    private volatile boolean cancelled;

    SignalRegistration(Reactor reactor, Signal signal, Runnable handler) {
        this.reactor = reactor;
        this.signal = signal;
        this.handler = handler;
    }

    public Signal signal() {
        return signal;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Removes the handler. When no loop handles the signal any more, the JVM's own handler comes
     * back (for INT, TERM and HUP: run the shutdown hooks and exit). Idempotent.
     */
    public void cancel() {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
        }
        reactor.cancelSignal(this);
    }

    @Override
    public void close() {
        cancel();
    }

    Runnable handler() {
        return handler;
    }

    void markCancelled() {
        cancelled = true;
    }
}
