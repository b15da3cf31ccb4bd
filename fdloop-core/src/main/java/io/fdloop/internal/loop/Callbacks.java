package io.fdloop.internal.loop;

import io.fdloop.EventLoop;
import io.fdloop.LoopExceptionHandler;

/**
 * Runs user code for one loop so that what it throws goes to the loop's
 * {@link LoopExceptionHandler}, never into the loop. The default handler logs it.
 *
 * <p><b>Thread-safe.</b>
 */
final class Callbacks {
    private static final System.Logger LOG = System.getLogger("io.fdloop.EventLoop");

    /** The handler a loop has unless its builder was given one: a WARNING in the log. */
    static final LoopExceptionHandler LOGGING = (loop, where, error) ->
            LOG.log(System.Logger.Level.WARNING, where + " on event loop " + loop.name() + " threw", error);

    private final LoopExceptionHandler handler;
    private volatile EventLoop loop;

    Callbacks(LoopExceptionHandler handler) {
        this.handler = handler;
    }

    /** The loop named in reports; set once the loop's public face exists. */
    void attach(EventLoop face) {
        loop = face;
    }

    /** Runs {@code callback}; what it throws is reported as thrown by {@code where}. */
    void run(Runnable callback, String where) {
        try {
            callback.run();
        } catch (RuntimeException | Error e) {
            uncaught(where, e);
        }
    }

    /** Reports {@code error}, thrown by user code at {@code where}, to the loop's handler. */
    void uncaught(String where, Throwable error) {
        try {
            handler.uncaught(loop, where, error);
        } catch (RuntimeException | Error e) {
            e.addSuppressed(error);
            LOG.log(System.Logger.Level.ERROR, "the exception handler of event loop " + loop.name() + " threw", e);
        }
    }
}
