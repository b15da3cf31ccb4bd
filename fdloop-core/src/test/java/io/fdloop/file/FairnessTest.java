package io.fdloop.file;

import io.fdloop.EventFd;
import io.fdloop.EventLoop;
import io.fdloop.file.FileBackend;
import io.fdloop.Interest;
import io.fdloop.Registration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A source that never goes idle (reads from /dev/zero complete inside their own submit call, and
 * each completion issues the next) must not starve the rest of the loop: timers, user events and
 * tasks from other threads still get their turn.
 */
class FairnessTest {
    @ParameterizedTest
    @EnumSource(value = FileBackend.class, names = {"AIO", "URING"})
    void shouldServeTimersEventsAndTasksWhileASourceStaysBusy(FileBackend backend) throws Exception {
        assumeTrue(backend.isAvailable(), () -> backend + " is unavailable here: " + backend.unavailabilityCause());
        AtomicBoolean stop = new AtomicBoolean();
        try (EventLoop loop = EventLoop.builder().name("busy").daemon(true).with(FileSettings.defaults().withBackend(backend)).start();
             Arena arena = Arena.ofShared();
             AsyncFile zero = AsyncFile.open(loop, Path.of("/dev/zero"));
             EventFd poke = EventFd.create()) {
            CountDownLatch busy = new CountDownLatch(10_000);
            IoHandler<MemorySegment> chain = new IoHandler<>() {
                @Override
                public void completed(int result, MemorySegment buffer) {
                    busy.countDown();
                    if (!stop.get()) {
                        zero.read(buffer, 0, buffer, this);
                    }
                }

                @Override
                public void failed(Throwable error, MemorySegment buffer) {
                    error.printStackTrace();
                }
            };
            loop.execute(() -> {
                for (int i = 0; i < 8; i++) {
                    MemorySegment buffer = arena.allocate(4096);
                    zero.read(buffer, 0, buffer, chain);
                }
            });
            assertTrue(busy.await(30, TimeUnit.SECONDS), "the read chain runs");

            CountDownLatch timer = new CountDownLatch(1);
            CountDownLatch event = new CountDownLatch(1);
            CountDownLatch task = new CountDownLatch(1);
            loop.schedule(Duration.ofMillis(5), timer::countDown);
            Registration registration = loop.register(poke, Interest.READ, (r, ready) -> event.countDown());
            poke.write(1);
            loop.execute(task::countDown);
            try {
                assertTrue(timer.await(30, TimeUnit.SECONDS), "a timer fires while the source is busy");
                assertTrue(event.await(30, TimeUnit.SECONDS), "a user event is dispatched while the source is busy");
                assertTrue(task.await(30, TimeUnit.SECONDS), "a task runs while the source is busy");
            } finally {
                stop.set(true);
                registration.cancel();
            }
        }
    }
}
