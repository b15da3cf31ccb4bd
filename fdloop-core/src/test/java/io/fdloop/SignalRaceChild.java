package io.fdloop;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;

/**
 * For {@link CloseRaceTest}: races {@code onSignal(TERM)} against {@code close()} on many loops, then
 * prints RACED and waits; the parent sends SIGTERM, which must end this JVM as it would without fdloop.
 */
public final class SignalRaceChild {
    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        for (int round = 0; round < rounds; round++) {
            EventLoop loop = EventLoop.builder().name("signals-" + round).daemon(true).start();
            CountDownLatch go = new CountDownLatch(1);
            Thread subscriber = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    loop.onSignal(Signal.TERM, () -> System.out.println("handled by a loop"));
                } catch (RejectedExecutionException | InterruptedException closed) {
                    // the loop closed first
                }
            });
            go.countDown();
            if ((round & 1) == 0) {
                Thread.onSpinWait();
            }
            loop.close();
            subscriber.join();
        }
        System.out.println("RACED");
        System.out.flush();
        Thread.sleep(60_000);
        System.out.println("still alive: SIGTERM did not end the JVM");
    }
}
