package io.fdloop.internal.loop;

import io.fdloop.Signal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Carries signals from the JVM into loops. signalfd cannot work in a JVM: it needs the signal
 * blocked in every thread, and the JVM's threads exist before any library code runs. So the
 * JVM's own hook ({@code sun.misc.Signal}) receives the signal on its signal-dispatch thread, and
 * the bridge pokes an eventfd in each interested loop's epoll set: the self-pipe trick.
 *
 * <p>While any loop handles a signal, the JVM's own handler for it (for INT, TERM and HUP: start
 * the shutdown hooks) is replaced; it is put back when the last registration goes.
 *
 * <p><b>Thread-safe</b> (process-wide, synchronized).
 */
final class SignalBridge {
    private static final Map<Signal, List<Reactor>> LISTENERS = new EnumMap<>(Signal.class);
    private static final Map<Signal, sun.misc.SignalHandler> PREVIOUS = new EnumMap<>(Signal.class);

    private SignalBridge() {
    }

    static synchronized void subscribe(Signal signal, Reactor reactor) {
        List<Reactor> reactors = LISTENERS.computeIfAbsent(signal, s -> new ArrayList<>());
        if (reactors.isEmpty()) {
            try {
                PREVIOUS.put(signal, sun.misc.Signal.handle(new sun.misc.Signal(signal.name()), SignalBridge::deliver));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("cannot handle SIG" + signal.name() + ": the JVM refuses to ("
                        + e.getMessage() + "); it does so when started with -Xrs", e);
            }
        }
        reactors.add(reactor);
    }

    static synchronized void unsubscribe(Signal signal, Reactor reactor) {
        List<Reactor> reactors = LISTENERS.get(signal);
        if (reactors != null && reactors.remove(reactor) && reactors.isEmpty()) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal.name()), PREVIOUS.remove(signal));
        }
    }

    private static void deliver(sun.misc.Signal received) {
        Signal signal = Signal.valueOf(received.getName());
        List<Reactor> reactors;
        synchronized (SignalBridge.class) {
            reactors = List.copyOf(LISTENERS.getOrDefault(signal, List.of()));
        }
        for (Reactor reactor : reactors) {
            reactor.signalArrived(signal);
        }
    }
}
