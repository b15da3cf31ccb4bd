package io.fdloop;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
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
            CyclicBarrier go = new CyclicBarrier(2);
            Thread subscriber = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    loop.onSignal(Signal.TERM, () -> System.out.println("handled by a loop"));
                } catch (RejectedExecutionException | InterruptedException | BrokenBarrierException closed) {
                    // the loop closed first
                }
            });
            go.await();
            for (int spin = round % 64; spin > 0; spin--) {
                Thread.onSpinWait(); // the close lands at a different point of onSignal each round
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
