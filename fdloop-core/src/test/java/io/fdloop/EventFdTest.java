package io.fdloop;

import org.junit.jupiter.api.Test;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.fdloop.LoopFixtures.TIMEOUT_S;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel's eventfd counter semantics, through {@link EventFd}. */
class EventFdTest {

    @Test
    void shouldAddOnWriteAndReturnTheSumOnReadThenReset() throws Exception {
        try (EventFd event = EventFd.create()) {
            assertTrue(event.write(3));
            assertTrue(event.write(4));
            assertTrue(event.write(5));
            assertEquals(12, event.read());
            assertEquals(0, event.read(), "the read reset the counter");
        }
    }

    @Test
    void shouldReadZeroFromAZeroCounterWithoutBlocking() throws Exception {
        try (EventFd event = EventFd.create()) {
            assertEquals(0, event.read());
            assertEquals(0, event.read());
        }
    }

    @Test
    void shouldStartAtTheInitialValue() throws Exception {
        try (EventFd event = EventFd.create(7)) {
            assertFalse(event.isSemaphore());
            assertEquals(7, event.read());
        }
        try (EventFd event = EventFd.create(0xffff_ffffL)) {
            assertEquals(4_294_967_295L, event.read(), "the full unsigned int range");
        }
    }

    @Test
    void shouldRejectInitialValuesOutsideUnsignedInt() {
        assertThrows(IllegalArgumentException.class, () -> EventFd.create(-1));
        assertThrows(IllegalArgumentException.class, () -> EventFd.create(1L << 32));
        assertThrows(IllegalArgumentException.class, () -> EventFd.createSemaphore(-1));
        assertThrows(IllegalArgumentException.class, () -> EventFd.createSemaphore(1L << 32));
    }

    @Test
    void shouldReadOneAtATimeAsASemaphore() throws Exception {
        try (EventFd semaphore = EventFd.createSemaphore(2)) {
            assertTrue(semaphore.isSemaphore());
            assertTrue(semaphore.write(1));
            assertEquals(1, semaphore.read());
            assertEquals(1, semaphore.read());
            assertEquals(1, semaphore.read());
            assertEquals(0, semaphore.read(), "three taken, none left");
        }
    }

    @Test
    void shouldRejectWritesOfZeroAndOfTwoToThe64MinusOne() throws Exception {
        try (EventFd event = EventFd.create()) {
            assertThrows(IllegalArgumentException.class, () -> event.write(0));
            assertThrows(IllegalArgumentException.class, () -> event.write(-1)); // 2^64 - 1 unsigned
            assertEquals(0, event.read(), "nothing was added");
        }
    }

    @Test
    void shouldRefuseAWriteThatWouldOverflowAndAddNothing() throws Exception {
        try (EventFd event = EventFd.create()) {
            assertEquals(0xffff_ffff_ffff_fffeL, EventFd.MAX_VALUE);
            assertTrue(event.write(EventFd.MAX_VALUE));
            assertFalse(event.write(EventFd.MAX_VALUE), "the counter would pass 2^64 - 2");
            assertFalse(event.write(1));
            assertEquals(EventFd.MAX_VALUE, event.read(), "the refused writes added nothing");
            assertTrue(event.write(1), "writable again once read");
            assertEquals(1, event.read());
        }
    }

    @Test
    void shouldThrowClosedChannelAfterCloseAndCloseIdempotently() throws Exception {
        EventFd event = EventFd.create();
        assertTrue(event.isOpen());
        event.close();
        assertFalse(event.isOpen());
        assertThrows(ClosedChannelException.class, () -> event.write(1));
        assertThrows(ClosedChannelException.class, event::read);
        assertDoesNotThrow(event::close);
        assertDoesNotThrow(event::close);
        assertTrue(event.toString().contains("closed"), event.toString());
    }

    @Test
    void shouldSumConcurrentWritesFromManyThreads() throws Exception {
        int threads = 4;
        int writes = 10_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (EventFd event = EventFd.create()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < writes; i++) {
                        assertTrue(event.write(1));
                    }
                    return null;
                }));
            }
            long sum = 0;
            for (Future<?> future : done) {
                future.get(TIMEOUT_S, TimeUnit.SECONDS);
            }
            sum += event.read();
            assertEquals((long) threads * writes, sum);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldWakeALoopItIsRegisteredWith() throws Exception {
        try (EventLoop loop = EventLoop.start(); EventFd event = EventFd.create()) {
            AtomicLong total = new AtomicLong();
            AtomicReference<String> wrongThread = new AtomicReference<>();
            CountDownLatch sawAll = new CountDownLatch(1);
            Registration registration = loop.register(event, Interest.READ, (r, ops) -> {
                if (!loop.inLoop()) {
                    wrongThread.set(Thread.currentThread().getName());
                }
                try {
                    if (total.addAndGet(event.read()) == 6) {
                        sawAll.countDown();
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals(event.fd(), registration.fd());
            event.write(1);
            event.write(2);
            event.write(3);
            LoopFixtures.await(sawAll, "the handler read 1 + 2 + 3");
            assertEquals(null, wrongThread.get());
            registration.cancel();
        }
    }
}
