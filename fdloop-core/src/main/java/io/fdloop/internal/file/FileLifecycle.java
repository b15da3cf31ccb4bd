package io.fdloop.internal.file;

import io.fdloop.Timer;
import io.fdloop.internal.linux.GuardedFd;
import io.fdloop.internal.loop.LoopHost;

import java.util.concurrent.CompletableFuture;

/**
 * The life of one open file, from open to the close of its fd: the operations in flight, and the
 * close, which stops new operations, waits for those in flight, cancels what is left at half the
 * loop's close timeout and abandons it at the whole, and only then closes the fd (whose number
 * the kernel hands out again at once).
 *
 * <p><b>Loop thread only</b>, except {@link #isOpen()}, {@link #closeNow()} (synchronized: the
 * loop's close may race a file's) and {@link #closed()}.
 */
final class FileLifecycle {
    private static final int OPEN = 0, CLOSING = 1, CLOSED = 2;

    private final OpenFile file;
    private final LoopHost host;
    private final FileEngine engine;
    private final GuardedFd guard;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile int state = OPEN;
    private int inFlight;
    private Timer closeTimer; // set while closing with operations in flight

    FileLifecycle(OpenFile file, LoopHost host, FileEngine engine, GuardedFd guard) {
        this.file = file;
        this.host = host;
        this.engine = engine;
        this.guard = guard;
    }

    /** Whether new operations are taken. Any thread. */
    boolean isOpen() {
        return state == OPEN;
    }

    /** Completes once the fd is closed. Any thread. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    void issued() {
        inFlight++;
    }

    /** An operation completed or was abandoned: the last one of a closing file closes it. */
    void completed() {
        inFlight--;
        if (inFlight == 0 && state == CLOSING) {
            closeNow();
        }
    }

    /** Stops taking operations; once those in flight are done (or given up), closes the fd. */
    void beginClose() {
        if (state != OPEN) {
            return;
        }
        state = CLOSING;
        if (inFlight == 0) {
            closeNow();
            return;
        }
        long halfNs = host.closeTimeoutNs() / 2;
        closeTimer = host.schedule(() -> {
            cancelInFlight();
            closeTimer = host.schedule(() -> engine.abandon(file), halfNs);
        }, halfNs);
    }

    /** Half the close timeout passed with operations in flight: asks the kernel to cancel them. */
    void cancelInFlight() {
        if (state == CLOSING && inFlight > 0) {
            engine.cancelInFlight(file);
        }
    }

    /** Closes the fd now: no operation may be in flight, or what is left was abandoned. Any thread. */
    void closeNow() {
        synchronized (this) {
            if (state == CLOSED) {
                return;
            }
            state = CLOSED;
        }
        Timer timer = closeTimer;
        if (timer != null) {
            timer.cancel();
        }
        guard.close();
        engine.closed(file);
        closed.complete(null);
    }
}
