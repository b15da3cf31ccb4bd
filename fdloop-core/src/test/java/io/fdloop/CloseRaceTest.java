package io.fdloop;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.fdloop.LoopFixtures.TIMEOUT_S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Work handed to a loop from other threads while it closes: each task either runs or is refused,
 * and a loop that closes gives the signals it listened for back to the JVM.
 */
class CloseRaceTest {
    private static final int ROUNDS = 120;

    @Test
    void shouldRunOrRefuseEveryTaskHandedOverWhileTheLoopCloses() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            EventLoop loop = EventLoop.builder().name("race-" + round).daemon(true).start();
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger ran = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(2);
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                producers.add(Thread.ofPlatform().start(() -> {
                    started.countDown();
                    for (int i = 0; i < 50_000; i++) {
                        try {
                            loop.execute(ran::incrementAndGet);
                            accepted.incrementAndGet();
                        } catch (RejectedExecutionException closed) {
                            return;
                        }
                    }
                }));
            }
            LoopFixtures.await(started, "producers started");
            for (int spin = ThreadLocalRandom.current().nextInt(20_000); spin > 0; spin--) {
                Thread.onSpinWait();
            }
            loop.close();
            for (Thread producer : producers) {
                producer.join(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
            }
            assertEquals(accepted.get(), ran.get(), "round " + round + ": every accepted task ran, none other");
        }
    }

    @Test
    void shouldGiveSignalsBackToTheJvmWhenOnSignalRacesClose() throws Exception {
        ChildJvm.Output child = ChildJvm.run(SignalRaceChild.class, List.of(), "RACED", Integer.toString(10 * ROUNDS));
        assertTrue(child.lines().contains("RACED"), child.toString());
        assertEquals(128 + 15, child.exitCode(), "SIGTERM ran the JVM's own handler (exit status 143); " + child);
    }
}
