package io.fdloop.internal.loop;

import io.fdloop.Signal;
import io.fdloop.SignalRegistration;

/**
 * A signal handler of one loop.
 *
 * <p><b>Thread-safe.</b>
 */
final class LoopSignalRegistration implements SignalRegistration {
    private final Reactor reactor;
    private final Signal signal;
    private final Runnable handler;
    private volatile boolean cancelled;

    LoopSignalRegistration(Reactor reactor, Signal signal, Runnable handler) {
        this.reactor = reactor;
        this.signal = signal;
        this.handler = handler;
    }

    @Override
    public Signal signal() {
        return signal;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void cancel() {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
        }
        reactor.cancelSignal(this);
    }

    Runnable handler() {
        return handler;
    }

    void markCancelled() {
        cancelled = true;
    }
}
