package io.fdloop.internal.loop;

import io.fdloop.EventLoop;

import java.util.Objects;

/**
 * From the public {@link EventLoop} to its engine, for the kinds of I/O that run on it.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class Loops {
    private Loops() {
    }

    /**
     * The engine behind {@code loop}.
     *
     * @throws IllegalArgumentException when {@code loop} is not one of fdloop's own loops
     */
    public static LoopHost host(EventLoop loop) {
        Objects.requireNonNull(loop, "loop");
        if (loop instanceof DefaultEventLoop fdloop) {
            return fdloop.reactor();
        }
        throw new IllegalArgumentException("not an fdloop event loop (made by EventLoop.start, open or builder): "
                + loop.getClass().getName());
    }
}
