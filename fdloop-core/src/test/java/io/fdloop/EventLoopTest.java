package io.fdloop;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static io.fdloop.LoopFixtures.TIMEOUT_S;
import static io.fdloop.LoopFixtures.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two ways to run a loop, and closing it. */
class EventLoopTest {

    @Test
    void shouldRunTasksAndTimersOnTheBuildingThreadWhenCallerDriven() throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            assertTrue(loop.inLoop());
            assertTrue(loop.runOnce(Duration.ZERO), "nothing to do, still open");
            AtomicReference<Thread> taskThread = new AtomicReference<>();
            AtomicReference<Thread> timerThread = new AtomicReference<>();
            loop.execute(() -> taskThread.set(Thread.currentThread()));
            loop.schedule(Duration.ofMillis(1), () -> timerThread.set(Thread.currentThread()));
            for (int i = 0; i < 100 && timerThread.get() == null; i++) {
                assertTrue(loop.runOnce(Duration.ofSeconds(TIMEOUT_S)));
            }
            assertSame(Thread.currentThread(), taskThread.get());
            assertSame(Thread.currentThread(), timerThread.get());
        }
    }

    @Test
    void shouldRunAStartedLoopOnItsOwnNamedThread() throws Exception {
        try (EventLoop loop = EventLoop.builder().name("loop-under-test").start()) {
            assertEquals("loop-under-test", loop.name());
            assertFalse(loop.inLoop());
            Thread thread = LoopFixtures.loopThread(loop);
            assertEquals("loop-under-test", thread.getName());
            assertFalse(thread.isDaemon(), "not a daemon unless asked");
            assertFalse(thread.isVirtual());
            CompletableFuture<Boolean> inLoop = new CompletableFuture<>();
            loop.execute(() -> inLoop.complete(loop.inLoop()));
            assertTrue(inLoop.get(TIMEOUT_S, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldRefuseRunOnceFromAnotherThreadOfACallerDrivenLoop() throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            CompletableFuture<Void> attempt = CompletableFuture.runAsync(() -> {
                try {
                    loop.runOnce(Duration.ZERO);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            ExecutionException e = assertThrows(ExecutionException.class, () -> attempt.get(TIMEOUT_S, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(loop.runOnce(Duration.ZERO), "still usable from its own thread");
        }
    }

    @Test
    void shouldRefuseRunOnceOnAStartedLoop() throws Exception {
        try (EventLoop loop = EventLoop.start()) {
            assertThrows(IllegalStateException.class, () -> loop.runOnce(Duration.ZERO));
            assertThrows(IllegalStateException.class, loop::run);
        }
    }

    @Test
    void shouldCloseAStartedLoopIdempotently() throws Exception {
        EventLoop loop = EventLoop.start();
        assertFalse(loop.isClosed());
        assertFalse(loop.awaitTermination(Duration.ZERO), "not closed yet");
        loop.close();
        assertTrue(loop.isClosed());
        assertTrue(loop.awaitTermination(Duration.ZERO), "close() from another thread waits for the end");
        assertDoesNotThrow(loop::close);
        assertDoesNotThrow(loop::close);
        assertRefusesWork(loop);
        assertTrue(loop.toString().contains("closed"), loop.toString());
    }

    @Test
    void shouldCloseACallerDrivenLoopIdempotently() throws Exception {
        EventLoop loop = EventLoop.open();
        loop.close();
        assertTrue(loop.isClosed());
        assertTrue(loop.awaitTermination(Duration.ZERO), "closed at once outside runOnce");
        assertFalse(loop.runOnce(Duration.ZERO), "closed");
        assertDoesNotThrow(loop::close);
        assertRefusesWork(loop);
    }

    private static void assertRefusesWork(EventLoop loop) throws Exception {
        assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> { }));
        try (EventFd event = EventFd.create()) {
            assertThrows(RejectedExecutionException.class, () -> loop.register(event, Interest.READ, (r, ops) -> { }));
        }
        CompletableFuture<Timer> fromElsewhere = CompletableFuture.supplyAsync(() -> loop.schedule(Duration.ZERO, () -> { }));
        ExecutionException e = assertThrows(ExecutionException.class, () -> fromElsewhere.get(TIMEOUT_S, TimeUnit.SECONDS));
        assertInstanceOf(RejectedExecutionException.class, e.getCause());
    }

    @Test
    void shouldCloseFromInsideAHandlerOnAStartedLoop() throws Exception {
        EventLoop loop = EventLoop.start();
        try (EventFd event = EventFd.create()) {
            AtomicBoolean closeReturned = new AtomicBoolean();
            AtomicBoolean closedInHandler = new AtomicBoolean();
            Registration registration = loop.register(event, Interest.READ, (r, ops) -> {
                loop.close(); // on the loop thread: returns at once, the loop closes after this iteration
                closedInHandler.set(loop.isClosed());
                closeReturned.set(true);
            });
            event.write(1);
            assertTrue(loop.awaitTermination(Duration.ofSeconds(TIMEOUT_S)));
            assertTrue(closeReturned.get());
            assertTrue(closedInHandler.get());
            assertTrue(registration.isCancelled(), "closing cancelled the registration");
            assertDoesNotThrow(loop::close);
        }
    }

    @Test
    void shouldCloseFromInsideATaskOfACallerDrivenLoop() throws Exception {
        EventLoop loop = EventLoop.open();
        loop.execute(loop::close);
        assertFalse(loop.runOnce(Duration.ofSeconds(TIMEOUT_S)), "the iteration that closed it says so");
        assertTrue(loop.awaitTermination(Duration.ZERO));
    }

    @Test
    void shouldCloseACallerDrivenLoopFromAnotherThreadOnceItsThreadRunsIt() throws Exception {
        EventLoop loop = EventLoop.open();
        CompletableFuture<Void> closed = CompletableFuture.runAsync(loop::close);
        for (int waited = 0; !loop.isClosed() && waited < TIMEOUT_S * 1000; waited++) {
            Thread.sleep(1); // until close() has begun; not a timing assertion
        }
        assertTrue(loop.isClosed());
        // Only this thread can finish closing a caller-driven loop, so neither can have happened yet.
        assertFalse(loop.awaitTermination(Duration.ZERO));
        assertFalse(closed.isDone(), "close() waits for the loop thread");
        assertFalse(loop.runOnce(Duration.ofSeconds(TIMEOUT_S)), "this iteration finishes the close");
        closed.get(TIMEOUT_S, TimeUnit.SECONDS);
        assertTrue(loop.awaitTermination(Duration.ZERO));
    }

    @Test
    void shouldWakeASleepingStartedLoopToClose() throws Exception {
        EventLoop loop = EventLoop.start();
        LoopFixtures.loopThread(loop);
        LoopFixtures.iterate(loop, 2); // now idle in epoll_wait with no deadline
        CompletableFuture<Void> closed = CompletableFuture.runAsync(loop::close);
        closed.get(TIMEOUT_S, TimeUnit.SECONDS);
        assertTrue(loop.awaitTermination(Duration.ofSeconds(TIMEOUT_S)));
    }

    @Test
    void shouldAwaitTerminationFromAnotherThread() throws Exception {
        EventLoop loop = EventLoop.start();
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Boolean> terminated = CompletableFuture.supplyAsync(() -> {
            waiting.countDown();
            try {
                return loop.awaitTermination(Duration.ofSeconds(TIMEOUT_S));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        await(waiting, "the waiter");
        loop.execute(loop::close);
        assertTrue(terminated.get(TIMEOUT_S * 2, TimeUnit.SECONDS));
        assertTrue(loop.isClosed());
    }

    @Test
    void shouldReleaseItsFdsWhenClosed() throws Exception {
        Map<String, Long> before = loopFds();
        EventLoop started = EventLoop.start();
        EventLoop opened = EventLoop.open();
        assertTrue(loopFds().getOrDefault("anon_inode:[timerfd]", 0L) >= before.getOrDefault("anon_inode:[timerfd]", 0L) + 2,
                "each loop holds a timerfd: " + loopFds());
        started.close();
        opened.close();
        assertEquals(before, loopFds());
    }

    /** This process's epoll, eventfd and timerfd fds, counted by kind. */
    private static Map<String, Long> loopFds() throws IOException {
        Map<String, Long> kinds = new TreeMap<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.equals("anon_inode:[eventpoll]") || target.equals("anon_inode:[eventfd]")
                            || target.equals("anon_inode:[timerfd]")) {
                        kinds.merge(target, 1L, Long::sum);
                    }
                } catch (IOException gone) {
                    // the directory's own fd, closed by the time it is read
                }
            }
        }
        return kinds;
    }
}
