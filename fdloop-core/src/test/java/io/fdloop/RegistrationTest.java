package io.fdloop;

import io.fdloop.internal.linux.Arch;
import io.fdloop.internal.linux.FileOpen;
import io.fdloop.internal.linux.Syscalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.fdloop.LoopFixtures.TIMEOUT_S;
import static io.fdloop.LoopFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** User fds on a started loop: real pipes, socket pairs, eventfds and a regular file. */
class RegistrationTest {
    private static final byte[] MESSAGE = "hello from another thread".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private EventLoop loop;
    private Thread loopThread;
    private final List<Integer> fds = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    /** The first handler call found off the loop thread, if any. */
    private final AtomicReference<String> offLoop = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        loop = EventLoop.start();
        loopThread = LoopFixtures.loopThread(loop);
    }

    @AfterEach
    void close() throws Exception {
        loop.close();
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        fds.forEach(LoopFixtures::close);
        assertNull(offLoop.get(), "every handler runs on the loop thread");
    }

    private int[] pipe() {
        int[] pipe = LoopFixtures.pipe();
        fds.add(pipe[0]);
        fds.add(pipe[1]);
        return pipe;
    }

    private int[] socketPair() {
        int[] pair = LoopFixtures.socketPair();
        fds.add(pair[0]);
        fds.add(pair[1]);
        return pair;
    }

    /** Wraps a handler with the check that it runs on the loop thread. */
    private FdHandler onLoop(FdHandler handler) {
        return (registration, ops) -> {
            if (Thread.currentThread() != loopThread || !loop.inLoop()) {
                offLoop.compareAndSet(null, Thread.currentThread().getName());
            }
            handler.ready(registration, ops);
        };
    }

    @Test
    void shouldReadWhatAnotherThreadWritesToAPipe() throws Exception {
        int[] pipe = pipe();
        assertReadsWhatAnotherThreadWrites(pipe[0], pipe[1]);
    }

    @Test
    void shouldReadWhatAnotherThreadWritesToASocketPair() throws Exception {
        int[] pair = socketPair();
        assertReadsWhatAnotherThreadWrites(pair[0], pair[1]);
        assertReadsWhatAnotherThreadWrites(pair[1], pair[0]); // and the other way
    }

    private void assertReadsWhatAnotherThreadWrites(int readFd, int writeFd) throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream(); // loop thread only until the latch
        CountDownLatch all = new CountDownLatch(1);
        Registration registration = loop.register(readFd, Interest.READ, onLoop((r, ops) -> {
            assertTrue((ops & Registration.READABLE) != 0);
            received.writeBytes(LoopFixtures.drain(r.fd()));
            if (received.size() == 3 * MESSAGE.length) {
                all.countDown();
            }
        }));
        assertEquals(readFd, registration.fd());
        assertEquals(Interest.READ, registration.interest());
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 3; i++) {
                LoopFixtures.write(writeFd, MESSAGE);
            }
        });
        writer.join(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
        await(all, "three messages");
        assertEquals(new String(MESSAGE, StandardCharsets.US_ASCII).repeat(3),
                received.toString(StandardCharsets.US_ASCII));
        registration.cancel();
    }

    @Test
    void shouldKeepReportingALevelTriggeredFdUntilDrained() throws Exception {
        int[] pipe = pipe();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch drained = new CountDownLatch(1);
        loop.register(pipe[0], Interest.READ, onLoop((r, ops) -> {
            if (calls.incrementAndGet() == 5) { // ready five times for one write: level-triggered
                LoopFixtures.drain(r.fd());
                drained.countDown();
            }
        }));
        LoopFixtures.write(pipe[1], MESSAGE);
        await(drained, "five calls for one write");
        LoopFixtures.iterate(loop, 10);
        assertEquals(5, calls.get(), "not ready once drained");
    }

    @Test
    void shouldReportAnEdgeTriggeredFdOncePerBurst() throws Exception {
        int[] pipe = pipe();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        Registration registration = loop.register(pipe[0], Interest.READ.edgeTriggered(), onLoop((r, ops) -> {
            assertTrue((ops & Registration.READABLE) != 0);
            int call = calls.incrementAndGet();
            (call == 1 ? first : second).countDown(); // deliberately does not read
        }));
        assertTrue(registration.interest().isEdgeTriggered());
        LoopFixtures.write(pipe[1], MESSAGE);
        await(first, "the first burst");
        LoopFixtures.iterate(loop, 10); // level-triggered, each of these would report it again
        assertEquals(1, calls.get());

        CompletableFuture<byte[]> read = new CompletableFuture<>();
        loop.execute(() -> read.complete(LoopFixtures.drain(pipe[0])));
        assertEquals(MESSAGE.length, read.get(TIMEOUT_S, TimeUnit.SECONDS).length);
        LoopFixtures.write(pipe[1], MESSAGE); // empty to non-empty: a new edge
        await(second, "the second burst");
        LoopFixtures.iterate(loop, 10);
        assertEquals(2, calls.get());
    }

    @Test
    void shouldSwitchToWriteInterestWithModify() throws Exception {
        int[] pair = socketPair();
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger lastOps = new AtomicInteger();
        CountDownLatch writable = new CountDownLatch(1);
        Registration registration = loop.register(pair[0], Interest.READ, onLoop((r, ops) -> {
            calls.incrementAndGet();
            lastOps.set(ops);
            r.cancel(); // a writable socket stays writable
            writable.countDown();
        }));
        LoopFixtures.iterate(loop, 5);
        assertEquals(0, calls.get(), "writable but nothing to read: READ interest stays quiet");
        registration.modify(Interest.WRITE);
        assertEquals(Interest.WRITE, registration.interest());
        await(writable, "WRITABLE after modify");
        assertEquals(Registration.WRITABLE, lastOps.get());
        assertTrue(registration.isCancelled());
        assertThrows(IllegalStateException.class, () -> registration.modify(Interest.READ));
    }

    @Test
    void shouldStopDispatchingOnceCancelledOnTheLoopThread() throws Exception {
        int[] pipe = pipe();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch called = new CountDownLatch(1);
        Registration registration = loop.register(pipe[0], Interest.READ, onLoop((r, ops) -> {
            calls.incrementAndGet();
            r.cancel(); // level-triggered and not drained: would be called again
            called.countDown();
        }));
        LoopFixtures.write(pipe[1], MESSAGE);
        await(called, "the first call");
        LoopFixtures.iterate(loop, 10);
        assertEquals(1, calls.get());
        assertTrue(registration.isCancelled());
        registration.cancel(); // idempotent
        registration.close();

        // Cancelling removed the fd from epoll: it can be registered again.
        CountDownLatch again = new CountDownLatch(1);
        Registration second = loop.register(pipe[0], Interest.READ, onLoop((r, ops) -> {
            r.cancel();
            again.countDown();
        }));
        await(again, "the new registration");
        assertTrue(second.isCancelled());
    }

    @Test
    void shouldStopDispatchingOnceCancelledFromAnotherThread() throws Exception {
        int[] pipe = pipe();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch called = new CountDownLatch(1);
        Registration registration = loop.register(pipe[0], Interest.READ, onLoop((r, ops) -> {
            calls.incrementAndGet();
            called.countDown(); // level-triggered and not drained: called every iteration
        }));
        LoopFixtures.write(pipe[1], MESSAGE);
        await(called, "the first call");
        registration.cancel();
        int atCancel = calls.get();
        LoopFixtures.iterate(loop, 10);
        // At most the one call that had already begun when cancel() returned.
        assertTrue(calls.get() <= atCancel + 1, calls.get() + " calls, " + atCancel + " when cancelled");
    }

    @Test
    void shouldRefuseTheSameFdTwice() throws Exception {
        int[] pipe = pipe();
        Registration first = loop.register(pipe[0], Interest.READ, (r, ops) -> { });
        IOException e = assertThrows(IOException.class, () -> loop.register(pipe[0], Interest.WRITE, (r, ops) -> { }));
        assertTrue(e.getMessage().contains("already registered"), e.getMessage());
        assertFalse(first.isCancelled());
    }

    @Test
    void shouldRefuseARegularFilePointingToAsyncFile() throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "data");
        int fd = FileOpen.open(Syscalls.linux(), file, Arch.O_RDONLY);
        fds.add(fd);
        IOException e = assertThrows(IOException.class, () -> loop.register(fd, Interest.READ, (r, ops) -> { }));
        assertTrue(e.getMessage().contains("AsyncFile"), e.getMessage());
    }

    @Test
    void shouldRejectANegativeFd() {
        assertThrows(IllegalArgumentException.class, () -> loop.register(-1, Interest.READ, (r, ops) -> { }));
    }

    @Test
    void shouldReportHangupWhenThePipeWriterCloses() throws Exception {
        int[] pipe = LoopFixtures.pipe();
        fds.add(pipe[0]);
        assertHangupWhenPeerCloses(pipe[0], pipe[1]);
    }

    @Test
    void shouldReportHangupWhenTheSocketPeerCloses() throws Exception {
        int[] pair = LoopFixtures.socketPair();
        fds.add(pair[0]);
        assertHangupWhenPeerCloses(pair[0], pair[1]);
    }

    private void assertHangupWhenPeerCloses(int fd, int peer) throws Exception {
        AtomicInteger reported = new AtomicInteger();
        CountDownLatch hungUp = new CountDownLatch(1);
        loop.register(fd, Interest.READ, onLoop((r, ops) -> {
            if ((ops & Registration.HANGUP) != 0) {
                reported.set(ops);
                r.cancel(); // a hung-up fd stays ready
                hungUp.countDown();
            }
        }));
        LoopFixtures.close(peer);
        await(hungUp, "HANGUP");
        assertTrue((reported.get() & Registration.HANGUP) != 0);
    }

    @Test
    void shouldDispatchEachOfManyRegistrationsToItsOwnHandler() throws Exception {
        int count = 100; // past the table's first growth
        List<EventFd> events = new ArrayList<>();
        long[] seen = new long[count]; // loop thread only until the latch
        AtomicReference<String> mismatch = new AtomicReference<>();
        CountDownLatch all = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            EventFd event = EventFd.create();
            closeables.add(event);
            events.add(event);
            int index = i;
            loop.register(event, Interest.READ, onLoop((r, ops) -> {
                if (r.fd() != event.fd()) {
                    mismatch.compareAndSet(null, "handler " + index + " got fd " + r.fd());
                }
                try {
                    seen[index] += event.read();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                r.cancel();
                all.countDown();
            }));
        }
        for (int i = 0; i < count; i++) {
            events.get(i).write(i + 1);
        }
        await(all, "every handler");
        assertNull(mismatch.get());
        for (int i = 0; i < count; i++) {
            assertEquals(i + 1, seen[i], "handler " + i);
        }
    }

    @Test
    void shouldReuseRegistrationSlotsAndIgnoreStaleOnes() throws Exception {
        EventFd event = EventFd.create();
        closeables.add(event);
        AtomicInteger staleCalls = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            loop.register(event, Interest.READ, (r, ops) -> staleCalls.incrementAndGet()).cancel();
        }
        CountDownLatch called = new CountDownLatch(1);
        loop.register(event, Interest.READ, onLoop((r, ops) -> {
            r.cancel();
            called.countDown();
        }));
        event.write(1);
        await(called, "the live registration");
        assertEquals(0, staleCalls.get());
    }

    @Test
    void shouldRegisterFromTheLoopThread() throws Exception {
        int[] pipe = pipe();
        CountDownLatch called = new CountDownLatch(1);
        CompletableFuture<Registration> registered = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                registered.complete(loop.register(pipe[0], Interest.READ, onLoop((r, ops) -> {
                    LoopFixtures.drain(r.fd());
                    called.countDown();
                })));
            } catch (IOException e) {
                registered.completeExceptionally(e);
            }
        });
        registered.get(TIMEOUT_S, TimeUnit.SECONDS);
        LoopFixtures.write(pipe[1], MESSAGE);
        await(called, "the handler");
    }
}
