package io.fdloop.internal.loop;

import io.fdloop.EventLoop;
import io.fdloop.FdHandler;
import io.fdloop.Interest;
import io.fdloop.Registration;
import io.fdloop.Signal;
import io.fdloop.SignalRegistration;
import io.fdloop.Timer;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link EventLoop} users hold: argument checks, the caller-driven loop's thread rules and
 * the waiting of a close, in front of the {@link Reactor} that does the work.
 *
 * <p><b>Thread-safe</b> as {@link EventLoop} documents.
 */
final class DefaultEventLoop implements EventLoop {
    private final Reactor reactor;
    private final Thread ownThread; // null: driven by the thread that built it
    private boolean insideRunOnce; // loop thread only

    DefaultEventLoop(Reactor reactor, Thread ownThread) {
        this.reactor = reactor;
        this.ownThread = ownThread;
        reactor.attach(this);
    }

    Reactor reactor() {
        return reactor;
    }

    @Override
    public String name() {
        return reactor.name;
    }

    @Override
    public boolean inLoop() {
        return reactor.inLoop();
    }

    @Override
    public void execute(Runnable task) {
        reactor.execute(Objects.requireNonNull(task, "task"));
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        return reactor.schedule(Objects.requireNonNull(task, "task"), saturatedNanos(delay), 0);
    }

    @Override
    public Timer schedule(long delay, TimeUnit unit, Runnable task) {
        return reactor.schedule(Objects.requireNonNull(task, "task"), unit.toNanos(delay), 0);
    }

    @Override
    public Timer scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive, was " + period);
        }
        return reactor.schedule(Objects.requireNonNull(task, "task"), saturatedNanos(initialDelay),
                saturatedNanos(period));
    }

    @Override
    public Registration register(int fd, Interest interest, FdHandler handler) throws IOException {
        if (fd < 0) {
            throw new IllegalArgumentException("fd must be >= 0, was " + fd);
        }
        return reactor.register(fd, Objects.requireNonNull(interest, "interest"), Objects.requireNonNull(handler, "handler"));
    }

    @Override
    public SignalRegistration onSignal(Signal signal, Runnable handler) {
        return reactor.onSignal(Objects.requireNonNull(signal, "signal"), Objects.requireNonNull(handler, "handler"));
    }

    @Override
    public boolean runOnce(Duration timeout) throws IOException {
        long ms = timeout.toMillis();
        return runOnce(timeout.isNegative() ? -1 : (int) Math.min(Integer.MAX_VALUE, ms));
    }

    @Override
    public void run() throws IOException {
        while (runOnce(-1)) {
            // each iteration waits for its events
        }
    }

    private boolean runOnce(int timeoutMs) throws IOException {
        if (ownThread != null) {
            throw new IllegalStateException("event loop " + name() + " runs on its own thread; runOnce is for loops made with open() or build()");
        }
        if (!inLoop()) {
            throw new IllegalStateException("runOnce must be called on the loop thread of " + name()
                    + " (the thread that built it), not on " + Thread.currentThread().getName());
        }
        if (reactor.isTerminated()) {
            return false;
        }
        insideRunOnce = true;
        try {
            if (!reactor.isShuttingDown()) {
                reactor.runOnce(timeoutMs);
            }
        } finally {
            insideRunOnce = false;
        }
        if (reactor.isShuttingDown()) {
            reactor.shutdown();
        }
        return !reactor.isTerminated();
    }

    @Override
    public boolean isClosed() {
        return reactor.isShuttingDown();
    }

    @Override
    public void close() {
        reactor.requestClose();
        if (inLoop()) {
            if (ownThread == null && !insideRunOnce) {
                reactor.shutdown();
            }
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                reactor.terminated.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        try {
            reactor.terminated.get(saturatedNanos(timeout), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "EventLoop[" + name() + (isClosed() ? ", closed]" : "]");
    }
}
