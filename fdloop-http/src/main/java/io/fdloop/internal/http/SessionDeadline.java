package io.fdloop.internal.http;

import io.fdloop.EventLoop;
import io.fdloop.Timer;

/**
 * One connection's read deadline on one loop timer: the head must arrive by a time (slowloris), or an
 * idle connection closes at a time. Moving the deadline later does not touch the timer: when it fires
 * early it re-arms for the rest, so a busy keep-alive connection costs about one timer per idle timeout,
 * not one per request.
 *
 * <p><b>Loop thread only.</b>
 */
final class SessionDeadline {
    enum Kind { NONE, HEADER, IDLE }

    interface Expiry {
        void expired(Kind kind);
    }

    private final EventLoop loop;
    private final Expiry expiry;
    private Kind kind = Kind.NONE;
    private long deadlineNanos;
    private Timer timer;
    private long timerDueNanos;

    SessionDeadline(EventLoop loop, Expiry expiry) {
        this.loop = loop;
        this.expiry = expiry;
    }

    Kind kind() {
        return kind;
    }

    void set(Kind kind, long deadlineNanos) {
        this.kind = kind;
        this.deadlineNanos = deadlineNanos;
        if (kind == Kind.NONE) {
            return; // an armed timer finds nothing to do and stops
        }
        if (timer == null || timerDueNanos > deadlineNanos) {
            arm(deadlineNanos);
        }
    }

    void cancel() {
        kind = Kind.NONE;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void arm(long dueNanos) {
        if (timer != null) {
            timer.cancel();
        }
        timerDueNanos = dueNanos;
        long delay = Math.max(0, dueNanos - System.nanoTime());
        timer = loop.schedule(delay, java.util.concurrent.TimeUnit.NANOSECONDS, this::fired);
    }

    private void fired() {
        timer = null;
        if (kind == Kind.NONE) {
            return;
        }
        if (System.nanoTime() - deadlineNanos >= 0) {
            Kind expired = kind;
            kind = Kind.NONE;
            expiry.expired(expired);
        } else {
            arm(deadlineNanos);
        }
    }
}
