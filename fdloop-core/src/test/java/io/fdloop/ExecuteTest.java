package io.fdloop;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.fdloop.LoopFixtures.TIMEOUT_S;
import static io.fdloop.LoopFixtures.await;
import static io.fdloop.LoopFixtures.awaitUnchecked;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link EventLoop#execute}: the cross-thread task queue and its wake-ups. */
class ExecuteTest {

    @Test
    void shouldRunEveryTaskOnceInPerProducerOrderOnTheLoopThread() throws Exception {
        int producers = 4;
        int perProducer = 100_000;
        int total = producers * perProducer;
        try (EventLoop loop = EventLoop.start()) {
            Thread loopThread = LoopFixtures.loopThread(loop);
            int[] next = new int[producers]; // loop thread only: the next sequence number due per producer
            AtomicReference<String> failure = new AtomicReference<>();
            AtomicInteger ran = new AtomicInteger();
            CountDownLatch allRan = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                threads.add(Thread.ofPlatform().name("producer-" + p).start(() -> {
                    awaitUnchecked(go);
                    for (int i = 0; i < perProducer; i++) {
                        int seq = i;
                        loop.execute(() -> {
                            if (Thread.currentThread() != loopThread) {
                                failure.compareAndSet(null, "task ran on " + Thread.currentThread().getName());
                            }
                            // A gap is a lost or reordered task, a step back one run twice.
                            if (next[producer] != seq) {
                                failure.compareAndSet(null, "producer " + producer + ": expected task "
                                        + next[producer] + ", ran " + seq);
                            }
                            next[producer] = seq + 1;
                            if (ran.incrementAndGet() == total) {
                                allRan.countDown();
                            }
                        });
                    }
                }));
            }
            go.countDown();
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
            }
            await(allRan, total + " tasks");
            LoopFixtures.loopThread(loop); // one more round trip: nothing runs twice after the last
            assertNull(failure.get());
            assertEquals(total, ran.get());
            int[] expected = new int[producers];
            java.util.Arrays.fill(expected, perProducer);
            assertArrayEquals(expected, next);
        }
    }

    @Test
    void shouldRunTasksQueuedByTasksAndSurviveOneThatThrows() throws Exception {
        try (EventLoop loop = EventLoop.start()) {
            CountDownLatch done = new CountDownLatch(1);
            loop.execute(() -> {
                throw new IllegalStateException("thrown on purpose by a test task");
            });
            loop.execute(() -> loop.execute(done::countDown));
            await(done, "the task queued by a task");
        }
    }

    @Test
    void shouldRejectExecuteAfterClose() throws Exception {
        EventLoop started = EventLoop.start();
        started.close();
        assertThrows(RejectedExecutionException.class, () -> started.execute(() -> { }));

        EventLoop opened = EventLoop.open();
        opened.close();
        assertThrows(RejectedExecutionException.class, () -> opened.execute(() -> { }));
    }

    @Test
    void shouldRunTasksQueuedBeforeCloseOnAStartedLoop() throws Exception {
        int queued = 10_000; // more than one iteration takes, so the close itself must run the rest
        EventLoop loop = EventLoop.start();
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        loop.execute(() -> {
            blocked.countDown();
            awaitUnchecked(release);
        });
        await(blocked, "the loop thread is busy");
        for (int i = 0; i < queued; i++) {
            loop.execute(ran::incrementAndGet);
        }
        CompletableFuture<Void> closed = CompletableFuture.runAsync(loop::close);
        long waited = 0;
        while (!loop.isClosed() && waited++ < TIMEOUT_S * 1000) {
            Thread.sleep(1); // until close() has begun; not a timing assertion
        }
        assertTrue(loop.isClosed());
        assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> { }));
        release.countDown();
        closed.get(TIMEOUT_S, TimeUnit.SECONDS);
        assertTrue(loop.awaitTermination(Duration.ZERO));
        assertEquals(queued, ran.get());
    }

    @Test
    void shouldRunTasksQueuedBeforeCloseOnACallerDrivenLoop() throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            AtomicInteger ran = new AtomicInteger();
            Thread producer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    loop.execute(ran::incrementAndGet);
                }
            });
            producer.join(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
            loop.close(); // on the loop thread, outside runOnce: closes at once
            assertTrue(loop.awaitTermination(Duration.ZERO));
            assertEquals(10_000, ran.get());
        }
    }

    @Test
    void shouldWakeACallerDrivenLoopSleepingInRunOnce() throws Exception {
        AtomicBoolean woken = new AtomicBoolean(); // the loop read its wake eventfd
        LoopObserver observer = new LoopObserver() {
            @Override
            public void woke(String source, long counter, int handled) {
                if (source.equals("wake")) {
                    woken.set(true);
                }
            }
        };
        try (EventLoop loop = EventLoop.builder().observer(observer).build()) {
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            // Keeps handing over tasks until one arrives while the loop sleeps and must be woken.
            Thread producer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < TIMEOUT_S * 1000 && !woken.get(); i++) {
                    loop.execute(() -> ranOn.set(Thread.currentThread()));
                    LoopFixtures.sleepUnchecked(1);
                }
            });
            for (int i = 0; i < 3 && !woken.get(); i++) {
                assertTrue(loop.runOnce(Duration.ofSeconds(TIMEOUT_S)));
            }
            producer.join(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
            assertTrue(woken.get(), "execute() from another thread woke runOnce");
            loop.runOnce(Duration.ZERO);
            assertEquals(Thread.currentThread(), ranOn.get());
        }
    }
}
