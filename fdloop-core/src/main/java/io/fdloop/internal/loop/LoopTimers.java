package io.fdloop.internal.loop;

import io.fdloop.internal.linux.Syscalls;
import io.fdloop.internal.linux.Timerfd;

import java.io.IOException;
import java.lang.foreign.Arena;

/**
 * The loop's timers: one timerfd on {@code CLOCK_MONOTONIC}, armed (absolute) for the earliest
 * deadline of a heap of {@link LoopTimer}s, however many there are.
 *
 * <p><b>Loop thread only</b>, except {@link #nowNs()}.
 */
final class LoopTimers implements AutoCloseable {
    private final Timerfd timerfd;
    private final Callbacks callbacks;
    private final long clockOffsetNs;
    private final TimerQueue queue = new TimerQueue();
    private long armedDeadlineNs; // 0: disarmed
    private long lastExpirations;

    LoopTimers(Syscalls syscalls, Arena arena, Callbacks callbacks) throws IOException {
        this.timerfd = new Timerfd(syscalls, arena);
        this.callbacks = callbacks;
        this.clockOffsetNs = measureClockOffset(timerfd);
    }

    int fd() {
        return timerfd.fd();
    }

    /** {@code CLOCK_MONOTONIC} now, from {@code System.nanoTime()}. Any thread. */
    long nowNs() {
        return System.nanoTime() + clockOffsetNs;
    }

    void add(LoopTimer timer) {
        queue.add(timer);
    }

    void remove(LoopTimer timer) {
        queue.remove(timer);
    }

    /** Arms the timerfd for the earliest deadline; a system call only when that deadline changed. */
    void arm() throws IOException {
        long earliest = queue.size() == 0 ? 0 : queue.earliestDeadline();
        if (earliest != armedDeadlineNs) {
            timerfd.arm(earliest);
            armedDeadlineNs = earliest;
        }
    }

    /**
     * The timerfd fired: consumes its expiration count and runs every timer now due, periodic ones
     * rescheduled at fixed rate. Returns how many ran.
     */
    int expire() throws IOException {
        lastExpirations = timerfd.drain();
        armedDeadlineNs = 0; // an absolute timerfd that fired is disarmed
        long now = timerfd.monotonicNanos(); // the timerfd's own clock: whatever fired it is due
        int count = 0;
        LoopTimer timer;
        while ((timer = queue.peek()) != null && timer.deadlineNs <= now) {
            queue.poll();
            if (!timer.claimRun()) {
                continue; // cancelled from another thread; the removal task it queued has not run yet
            }
            if (timer.isPeriodic()) {
                timer.deadlineNs = saturatedAdd(timer.deadlineNs, timer.periodNs);
                queue.add(timer);
            }
            callbacks.run(timer.task, "a timer");
            count++;
        }
        return count;
    }

    /** What the last {@link #expire()} read from the timerfd. */
    long lastExpirations() {
        return lastExpirations;
    }

    /** Drops every timer, marking each cancelled. */
    void cancelAll() {
        for (LoopTimer timer : queue.drain()) {
            timer.markCancelled();
        }
    }

    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /**
     * How far {@code CLOCK_MONOTONIC}, which the timerfd uses, is from {@code System.nanoTime()}
     * (on HotSpot/Linux the same clock, so about 0): the narrowest of a few bracketed samples.
     */
    private static long measureClockOffset(Timerfd timerfd) {
        long best = 0;
        long narrowest = Long.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            long before = System.nanoTime();
            long monotonic = timerfd.monotonicNanos();
            long after = System.nanoTime();
            if (after - before < narrowest) {
                narrowest = after - before;
                best = monotonic - (before + (after - before) / 2);
            }
        }
        return best;
    }

    @Override
    public void close() {
        timerfd.close();
    }
}
