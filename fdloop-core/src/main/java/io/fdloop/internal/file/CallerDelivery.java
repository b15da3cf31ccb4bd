package io.fdloop.internal.file;

import io.fdloop.file.IoCallback;
import io.fdloop.internal.loop.LoopHost;

import java.util.ArrayDeque;

/**
 * Delivers a failure on the calling thread, for the one case where no loop thread is left to do it:
 * an operation handed to a loop that has closed. Through a per-thread trampoline: a handler that
 * retries from its failure queues its next failure instead of recursing, and what a handler throws
 * goes to the loop's exception handler, never out of the call that started the operation.
 *
 * <p><b>Thread-safe</b> (per-thread state).
 */
final class CallerDelivery {
    private static final ThreadLocal<ArrayDeque<Runnable>> PENDING = new ThreadLocal<>();

    private CallerDelivery() {
    }

    static <A> void fail(LoopHost host, IoCallback<? super A> callback, A attachment, Throwable error) {
        Runnable delivery = () -> {
            try {
                callback.complete(attachment, -1, error);
            } catch (RuntimeException | Error e) {
                host.uncaught("an I/O completion handler", e);
            }
        };
        ArrayDeque<Runnable> pending = PENDING.get();
        if (pending != null) {
            pending.add(delivery); // inside a handler this thread is running: the outer loop below runs it
            return;
        }
        pending = new ArrayDeque<>();
        PENDING.set(pending);
        try {
            for (Runnable next = delivery; next != null; next = pending.poll()) {
                next.run();
            }
        } finally {
            PENDING.remove();
        }
    }
}
