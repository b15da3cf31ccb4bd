package io.fdloop.internal.http.transport;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's {@code maxConnections}, shared by its loops: a connection takes a slot when it is
 * accepted and gives it back when it is gone; with none free, a new connection is closed at once
 * (refused), which costs the server almost nothing, and a warning says so at most once a minute.
 *
 * <p><b>Thread-safe.</b>
 */
final class ConnectionSlots {
    private static final System.Logger LOG = System.getLogger(ConnectionSlots.class.getName());
    private static final long WARN_EVERY_NANOS = 60_000_000_000L;

    private final int max;
    private final AtomicInteger taken = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastWarningNanos = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    ConnectionSlots(int max) {
        this.max = max;
    }

    /** Takes a slot; false (and the connection is to be refused) when all are taken. Any thread. */
    boolean take() {
        if (taken.incrementAndGet() <= max) {
            return true;
        }
        taken.decrementAndGet();
        long total = refused.incrementAndGet();
        long now = System.nanoTime();
        long last = lastWarningNanos.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarningNanos.compareAndSet(last, now)) {
            LOG.log(System.Logger.Level.WARNING, "{0} connections are open, the most maxConnections allows: new ones"
                    + " are refused ({1} so far)", max, total);
        }
        return false;
    }

    /** Gives a slot back. Any thread. */
    void give() {
        taken.decrementAndGet();
    }

    /** Connections holding a slot. Any thread. */
    int taken() {
        return taken.get();
    }

    /** Connections refused so far. Any thread. */
    long refused() {
        return refused.get();
    }
}
