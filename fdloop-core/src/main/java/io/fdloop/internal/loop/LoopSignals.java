package io.fdloop.internal.loop;

import io.fdloop.Signal;
import io.fdloop.internal.linux.Eventfd;
import io.fdloop.internal.linux.GuardedFd;
import io.fdloop.internal.linux.Syscalls;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One loop's signal handlers, and the eventfd in its epoll set that {@link SignalBridge} pokes
 * when a signal arrives.
 *
 * <p><b>{@link #arrived} from the JVM's signal-dispatch thread; the rest on the loop thread.</b>
 */
final class LoopSignals implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.fdloop.EventLoop");

    private final Syscalls syscalls;
    private final String loopName;
    private final Callbacks callbacks;
    private final GuardedFd eventFd;
    private final AtomicIntegerArray pending = new AtomicIntegerArray(Signal.values().length);
    private final Map<Signal, List<LoopSignalRegistration>> handlers = new EnumMap<>(Signal.class);
    private long lastSignalCount;

    LoopSignals(Syscalls syscalls, String loopName, Callbacks callbacks) throws IOException {
        this.syscalls = syscalls;
        this.loopName = loopName;
        this.callbacks = callbacks;
        this.eventFd = new GuardedFd(syscalls, Eventfd.create(syscalls, 0, 0));
    }

    int fd() {
        return eventFd.fd();
    }

    void add(LoopSignalRegistration registration) {
        if (!registration.isCancelled()) {
            handlers.computeIfAbsent(registration.signal(), s -> new ArrayList<>()).add(registration);
        }
    }

    void remove(LoopSignalRegistration registration) {
        List<LoopSignalRegistration> list = handlers.get(registration.signal());
        if (list != null) {
            list.remove(registration);
        }
    }

    /** Counts the signal and wakes the loop. Any thread. */
    void arrived(Signal signal) {
        pending.incrementAndGet(signal.ordinal());
        if (eventFd.acquire()) {
            try {
                Eventfd.write(syscalls, eventFd.fd(), 1);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "cannot deliver SIG" + signal + " to event loop " + loopName, e);
            } finally {
                eventFd.release();
            }
        }
    }

    /** The eventfd was readable: runs the handlers of every signal that arrived; returns how many ran. */
    int dispatch() throws IOException {
        lastSignalCount = Eventfd.read(syscalls, eventFd.fd());
        int ran = 0;
        for (Signal signal : Signal.values()) {
            if (pending.getAndSet(signal.ordinal(), 0) > 0) {
                for (LoopSignalRegistration handler : List.copyOf(handlers.getOrDefault(signal, List.of()))) {
                    callbacks.run(handler.handler(), "a SIG" + signal + " handler");
                    ran++;
                }
            }
        }
        return ran;
    }

    /** What the last {@link #dispatch()} read from the eventfd. */
    long lastSignalCount() {
        return lastSignalCount;
    }

    /** Drops every handler (the loop has given the signals back to the JVM already). */
    void cancelAll() {
        for (List<LoopSignalRegistration> list : handlers.values()) {
            for (LoopSignalRegistration handler : list) {
                handler.markCancelled();
            }
        }
        handlers.clear();
    }

    @Override
    public void close() {
        eventFd.close();
    }
}
