package io.fdloop;

/**
 * Runs user code on the loop thread so that what it throws is logged, not fatal to the loop.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
final class Callbacks {
    private static final System.Logger LOG = System.getLogger("io.fdloop.EventLoop");

    private Callbacks() {
    }

    /** Runs {@code callback}; logs what it throws, naming {@code what} and the loop. */
    static void run(Runnable callback, String what, String loopName) {
        try {
            callback.run();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "a " + what + " on event loop " + loopName + " threw", e);
        }
    }
}
