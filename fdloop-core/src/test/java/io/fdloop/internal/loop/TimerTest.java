package io.fdloop.internal.loop;

import io.fdloop.EventLoop;
import io.fdloop.LoopFixtures;
import io.fdloop.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static io.fdloop.LoopFixtures.TIMEOUT_S;
import static io.fdloop.LoopFixtures.await;
import static io.fdloop.LoopFixtures.awaitUnchecked;
import static io.fdloop.LoopFixtures.sleepUnchecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Timers on a started loop. No assertion is about time: each test waits on latches, and where
 * a deadline must have passed the loop thread sleeps past it first.
 */
class TimerTest {
    private EventLoop loop;
    private Thread loopThread;
    /** The first timer task found off the loop thread, if any. */
    private final AtomicReference<String> offLoop = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        loop = EventLoop.start();
        loopThread = LoopFixtures.loopThread(loop);
    }

    @AfterEach
    void close() {
        loop.close();
        assertNull(offLoop.get(), "every timer task runs on the loop thread");
    }

    /** Wraps a timer task with the check that it runs on the loop thread. */
    private Runnable onLoop(Runnable task) {
        return () -> {
            if (Thread.currentThread() != loopThread || !loop.inLoop()) {
                offLoop.compareAndSet(null, Thread.currentThread().getName());
            }
            task.run();
        };
    }

    @Test
    void shouldFireTimersInDeadlineOrder() throws Exception {
        int[] delaysMs = {50, 10, 40, 0, 30, 20, 5, 45, 15};
        List<Integer> fired = new ArrayList<>(); // loop thread only until the latch
        CountDownLatch all = new CountDownLatch(delaysMs.length);
        Timer[] timers = new Timer[delaysMs.length];
        for (int i = 0; i < delaysMs.length; i++) {
            int index = i;
            timers[i] = loop.schedule(Duration.ofMillis(delaysMs[i]), onLoop(() -> {
                fired.add(index);
                all.countDown();
            }));
        }
        await(all, "every timer fired");
        // The order the deadlines were set in, whatever preemption did to the scheduling thread.
        List<Integer> byDeadline = IntStream.range(0, timers.length).boxed()
                .sorted(Comparator.comparingLong((Integer i) -> ((LoopTimer) timers[i]).deadlineNs).thenComparingLong(i -> ((LoopTimer) timers[i]).sequence))
                .toList();
        assertEquals(byDeadline, fired);
    }

    @Test
    void shouldRunTimersOnTheLoopThreadFromBothScheduleForms() throws Exception {
        CountDownLatch ran = new CountDownLatch(3);
        loop.schedule(Duration.ofMillis(1), onLoop(ran::countDown));
        loop.schedule(1, TimeUnit.MILLISECONDS, onLoop(ran::countDown));
        loop.execute(() -> loop.schedule(Duration.ZERO, onLoop(ran::countDown))); // from the loop thread
        await(ran, "three timers");
    }

    @Test
    void shouldNotRunATimerCancelledOnTheLoopThread() throws Exception {
        AtomicBoolean cancelledRan = new AtomicBoolean();
        CompletableFuture<Boolean> cancelResult = new CompletableFuture<>();
        CountDownLatch later = new CountDownLatch(1);
        loop.execute(() -> {
            Timer timer = loop.schedule(Duration.ofMillis(5), onLoop(() -> cancelledRan.set(true)));
            boolean first = timer.cancel();
            cancelResult.complete(first && !timer.cancel()); // true, then false: already cancelled
            loop.schedule(Duration.ofMillis(20), onLoop(later::countDown)); // a later deadline
        });
        await(later, "the later timer");
        assertTrue(cancelResult.get(TIMEOUT_S, TimeUnit.SECONDS));
        assertFalse(cancelledRan.get());
    }

    @Test
    void shouldNotRunATimerCancelledByAnEarlierTimerOfTheSameBatch() throws Exception {
        AtomicBoolean secondRan = new AtomicBoolean();
        CompletableFuture<Boolean> cancelResult = new CompletableFuture<>();
        CountDownLatch later = new CountDownLatch(1);
        loop.execute(() -> {
            AtomicReference<Timer> second = new AtomicReference<>();
            loop.schedule(Duration.ofMillis(1), onLoop(() -> cancelResult.complete(second.get().cancel())));
            second.set(loop.schedule(Duration.ofMillis(1), onLoop(() -> secondRan.set(true))));
            sleepUnchecked(20); // both deadlines pass before the loop looks at its timers: one batch
            loop.schedule(Duration.ofMillis(1), onLoop(later::countDown));
        });
        await(later, "the later timer");
        assertTrue(cancelResult.get(TIMEOUT_S, TimeUnit.SECONDS));
        assertFalse(secondRan.get());
    }

    @Test
    void shouldNotRunATimerCancelledFromAnotherThreadBeforeTheLoopQueuedIt() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            blocked.countDown();
            awaitUnchecked(release);
        });
        await(blocked, "the loop thread is busy");
        AtomicBoolean ran = new AtomicBoolean();
        Timer timer = loop.schedule(Duration.ZERO, onLoop(() -> ran.set(true)));
        assertTrue(timer.cancel());
        assertTrue(timer.isCancelled());
        release.countDown();
        CountDownLatch later = new CountDownLatch(1);
        loop.schedule(Duration.ofMillis(5), onLoop(later::countDown));
        await(later, "the later timer");
        assertFalse(ran.get());
    }

    @Test
    void shouldNotRunAQueuedTimerCancelledFromAnotherThread() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<Timer> queued = new CompletableFuture<>();
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            // Scheduled on the loop thread, the timer is in the heap at once; the loop then stays busy,
            // so however slowly this test's thread runs, the timer cannot fire before the cancel.
            queued.complete(loop.schedule(Duration.ofMillis(20), onLoop(() -> ran.set(true))));
            blocked.countDown();
            awaitUnchecked(release);
            sleepUnchecked(30); // and due
        });
        await(blocked, "the loop thread is busy");
        Timer timer = queued.get(TIMEOUT_S, TimeUnit.SECONDS);
        assertTrue(timer.cancel());
        release.countDown();
        CountDownLatch later = new CountDownLatch(1);
        loop.schedule(Duration.ofMillis(40), onLoop(later::countDown));
        await(later, "the later timer");
        assertFalse(ran.get());
    }

    @Test
    void shouldNotRunADueTimerCancelledFromAnotherThreadWhileItsBatchRuns() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        AtomicBoolean secondRan = new AtomicBoolean();
        CompletableFuture<Timer> second = new CompletableFuture<>();
        loop.execute(() -> {
            loop.schedule(Duration.ofMillis(1), onLoop(() -> {
                firstRunning.countDown();
                awaitUnchecked(cancelled);
            }));
            second.complete(loop.schedule(Duration.ofMillis(1), onLoop(() -> secondRan.set(true))));
            sleepUnchecked(20); // both due when the loop next runs its timers: one batch
        });
        await(firstRunning, "the first timer runs");
        // The second is due in the batch now running; cancel() promises it will not run.
        assertTrue(second.get(TIMEOUT_S, TimeUnit.SECONDS).cancel());
        cancelled.countDown();
        CountDownLatch later = new CountDownLatch(1);
        loop.schedule(Duration.ofMillis(1), onLoop(later::countDown));
        await(later, "the later timer");
        assertFalse(secondRan.get(), "a timer cancelled before its run began ran anyway");
    }

    @Test
    void shouldRepeatAPeriodicTimerUntilItCancelsItself() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<Timer> periodic = new AtomicReference<>();
        CountDownLatch fifth = new CountDownLatch(1);
        CompletableFuture<Boolean> cancelResult = new CompletableFuture<>();
        loop.execute(() -> periodic.set(loop.scheduleAtFixedRate(Duration.ofMillis(1), Duration.ofMillis(1),
                onLoop(() -> {
                    if (runs.incrementAndGet() == 5) {
                        cancelResult.complete(periodic.get().cancel());
                        fifth.countDown();
                    }
                }))));
        await(fifth, "five runs");
        assertTrue(periodic.get().isPeriodic());
        assertTrue(cancelResult.get(TIMEOUT_S, TimeUnit.SECONDS));
        LoopFixtures.iterate(loop, 20);
        CountDownLatch later = new CountDownLatch(1);
        loop.schedule(Duration.ofMillis(20), onLoop(later::countDown));
        await(later, "a timer well past the next period");
        assertEquals(5, runs.get());
        assertFalse(periodic.get().cancel(), "already cancelled");
    }

    @Test
    void shouldStopAPeriodicTimerCancelledFromAnotherThread() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch third = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        Timer periodic = loop.scheduleAtFixedRate(Duration.ofMillis(1), Duration.ofMillis(1), onLoop(() -> {
            int run = runs.incrementAndGet();
            if (run == 2) {
                sleepUnchecked(20); // fall behind: the next deadlines are already due
            } else if (run == 3) {
                third.countDown();
                awaitUnchecked(cancelled);
            }
        }));
        await(third, "three runs");
        assertTrue(periodic.cancel());
        cancelled.countDown();
        CountDownLatch later = new CountDownLatch(1);
        loop.schedule(Duration.ofMillis(20), onLoop(later::countDown));
        await(later, "a timer well past the next period");
        assertEquals(3, runs.get(), "runs after cancel() returned");
    }

    @Test
    void shouldFireTimersWhileATaskKeepsRequeueingItself() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch fired = new CountDownLatch(3);
        loop.execute(new Runnable() {
            @Override
            public void run() { // cooperative long work: always one more task queued
                if (!stop.get()) {
                    loop.execute(this);
                }
            }
        });
        try {
            loop.schedule(Duration.ofMillis(1), onLoop(fired::countDown));
            Timer periodic = loop.scheduleAtFixedRate(Duration.ofMillis(1), Duration.ofMillis(1), onLoop(fired::countDown));
            await(fired, "one-shot and periodic timers while the task queue is never empty");
            periodic.cancel();
        } finally {
            stop.set(true);
        }
    }

    @Test
    void shouldRejectANonPositivePeriod() {
        assertThrows(IllegalArgumentException.class,
                () -> loop.scheduleAtFixedRate(Duration.ZERO, Duration.ZERO, () -> { }));
        assertThrows(IllegalArgumentException.class,
                () -> loop.scheduleAtFixedRate(Duration.ZERO, Duration.ofMillis(-1), () -> { }));
    }

    @Test
    void shouldScheduleAndCancel100000TimersOnTheLoopThread() throws Exception {
        int count = 100_000;
        AtomicInteger ranKept = new AtomicInteger();
        AtomicBoolean cancelledRan = new AtomicBoolean();
        AtomicInteger cancelledTrue = new AtomicInteger();
        CountDownLatch keptAll = new CountDownLatch(1);
        loop.execute(() -> {
            List<Timer> timers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                boolean keep = i % 2 == 0;
                timers.add(loop.schedule(Duration.ofMillis(i % 50), keep
                        ? onLoop(() -> {
                            if (ranKept.incrementAndGet() == count / 2) {
                                keptAll.countDown();
                            }
                        })
                        : onLoop(() -> cancelledRan.set(true))));
            }
            for (int i = 1; i < count; i += 2) {
                if (timers.get(i).cancel()) {
                    cancelledTrue.incrementAndGet();
                }
            }
        });
        await(keptAll, "the 50 000 kept timers");
        CountDownLatch later = new CountDownLatch(1);
        loop.schedule(Duration.ofMillis(60), onLoop(later::countDown)); // after every deadline above
        await(later, "the later timer");
        assertEquals(count / 2, cancelledTrue.get());
        assertEquals(count / 2, ranKept.get());
        assertFalse(cancelledRan.get());
    }

    @Test
    void shouldScheduleAndCancel100000TimersFromAnotherThread() throws Exception {
        int count = 100_000;
        AtomicBoolean ran = new AtomicBoolean();
        Runnable task = onLoop(() -> ran.set(true));
        List<Timer> timers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            timers.add(loop.schedule(Duration.ofHours(1).plusNanos(i), task));
        }
        for (Timer timer : timers) {
            assertTrue(timer.cancel());
            assertTrue(timer.isCancelled());
        }
        CountDownLatch later = new CountDownLatch(1);
        loop.schedule(Duration.ofMillis(1), onLoop(later::countDown));
        await(later, "the loop still runs timers");
        assertFalse(ran.get());
    }

    @Test
    void shouldCancelPendingTimersWhenTheLoopCloses() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        Timer pending = loop.schedule(Duration.ofHours(1), onLoop(() -> ran.set(true)));
        LoopFixtures.loopThread(loop); // the timer is queued
        loop.close();
        assertTrue(pending.isCancelled());
        assertFalse(pending.cancel());
        assertFalse(ran.get());
        assertThrows(RejectedExecutionException.class, () -> loop.schedule(Duration.ZERO, () -> { }));
    }
}
