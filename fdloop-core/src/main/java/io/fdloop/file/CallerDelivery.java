package io.fdloop.file;

import java.util.ArrayDeque;

/**
 * Delivers a failure on the calling thread, for the one case where no loop thread is left to do it:
 * an operation handed to a loop that has closed. Through a per-thread trampoline: a handler that
 * retries from {@code failed()} queues its next failure instead of recursing, and what a handler
 * throws is logged, never thrown out of the call that started the operation.
 *
 * <p><b>Thread-safe</b> (per-thread state).
 */
final class CallerDelivery {
    private static final System.Logger LOG = System.getLogger("io.fdloop.file");
    private static final ThreadLocal<ArrayDeque<Runnable>> PENDING = new ThreadLocal<>();

    private CallerDelivery() {
    }

    static <A> void fail(IoHandler<? super A> handler, A attachment, Throwable error) {
        Runnable delivery = () -> handler.failed(error, attachment);
        ArrayDeque<Runnable> pending = PENDING.get();
        if (pending != null) {
            pending.add(delivery); // inside a handler this thread is running: the outer loop below runs it
            return;
        }
        pending = new ArrayDeque<>();
        PENDING.set(pending);
        try {
            for (Runnable next = delivery; next != null; next = pending.poll()) {
                try {
                    next.run();
                } catch (RuntimeException | Error e) {
                    LOG.log(System.Logger.Level.WARNING, "an I/O completion handler threw", e);
                }
            }
        } finally {
            PENDING.remove();
        }
    }
}
