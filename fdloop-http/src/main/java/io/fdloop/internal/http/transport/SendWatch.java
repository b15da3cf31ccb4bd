package io.fdloop.internal.http.transport;

import io.fdloop.EventLoop;
import io.fdloop.Timer;
import io.fdloop.net.Connection;

import java.util.concurrent.TimeUnit;

/**
 * The send timeout of one connection: while responses are being written, some progress (a part completed,
 * or fewer bytes left queued) must show within the timeout, or the connection is given up. One loop timer
 * looks every quarter of the timeout while the connection is busy and stops when it finds it idle, so a
 * busy keep-alive connection costs no timer and no clock reading per response; a stall is detected
 * between one and one and a half timeouts after the last progress.
 *
 * <p><b>Loop thread only.</b>
 */
final class SendWatch {
    private final EventLoop loop;
    private final Connection connection;
    private final long timeoutNanos;
    private final Runnable expired;
    private Timer timer;
    private boolean busy;
    private long completions;
    private long seenCompletions;
    private long seenPendingBytes;
    private long lastProgressNanos;

    SendWatch(EventLoop loop, Connection connection, long timeoutNanos, Runnable expired) {
        this.loop = loop;
        this.connection = connection;
        this.timeoutNanos = timeoutNanos;
        this.expired = expired;
    }

    /** Output is queued: the clock runs from now. */
    void busy() {
        if (busy) {
            return;
        }
        busy = true;
        completions++; // starting to write counts as progress: the next look takes the clock from there
        if (timer == null) {
            seenCompletions = completions;
            seenPendingBytes = connection.pendingWriteBytes();
            lastProgressNanos = System.nanoTime();
            arm();
        }
    }

    /** A part of a response reached the kernel. */
    void progressed() {
        completions++;
    }

    /** Nothing is queued any more; the timer stops when it next looks. */
    void idle() {
        busy = false;
    }

    void cancel() {
        busy = false;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void arm() {
        timer = loop.schedule(Math.max(1, timeoutNanos / 4), TimeUnit.NANOSECONDS, this::look);
    }

    private void look() {
        timer = null;
        if (!busy) {
            return;
        }
        long now = System.nanoTime();
        long pending = connection.pendingWriteBytes();
        if (completions != seenCompletions || pending != seenPendingBytes) {
            seenCompletions = completions;
            seenPendingBytes = pending;
            lastProgressNanos = now;
        }
        if (now - lastProgressNanos >= timeoutNanos) {
            busy = false;
            expired.run();
            return;
        }
        arm();
    }
}
