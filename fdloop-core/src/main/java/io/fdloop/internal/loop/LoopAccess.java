package io.fdloop.internal.loop;

import java.util.Objects;
import java.util.function.Function;

/**
 * The door from the public file API to an event loop's internals, without making them public:
 * the loop class installs the accessor when it initializes (the JDK's SharedSecrets pattern).
 *
 * <p><b>Thread-safe.</b>
 */
public final class LoopAccess {
    private static volatile Function<Object, LoopHost> accessor;

    private LoopAccess() {
    }

    public static void install(Function<Object, LoopHost> loopToHost) {
        accessor = Objects.requireNonNull(loopToHost);
    }

    /** The host behind {@code loop}, which must be an {@code io.fdloop.EventLoop}. */
    public static LoopHost host(Object loop) {
        Objects.requireNonNull(loop, "loop");
        return accessor.apply(loop);
    }
}
