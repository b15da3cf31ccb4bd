package io.fdloop;

import io.fdloop.internal.linux.Arch;
import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.Syscalls;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the loop tests share: real pipes and socket pairs, and ways to wait without timing.
 * Every wait is bounded by a generous timeout and asserted, never measured.
 */
public final class LoopFixtures {
    public static final long TIMEOUT_S = 30;
    public static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;

    private static final Syscalls SYS = Syscalls.linux();

    private LoopFixtures() {
    }

    /** {@code pipe2(O_NONBLOCK | O_CLOEXEC)}: {read end, write end}. */
    public static int[] pipe() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            assertEquals(0, SYS.pipe2(fds, Arch.O_NONBLOCK | Arch.O_CLOEXEC), "pipe2");
            return fds.toArray(JAVA_INT);
        }
    }

    /** A non-blocking AF_UNIX stream socket pair. */
    public static int[] socketPair() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            assertEquals(0, SYS.socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), "socketpair");
            return fds.toArray(JAVA_INT);
        }
    }

    /** Writes all of {@code bytes} (small enough to fit the fd's buffer). */
    public static void write(int fd, byte[] bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocateFrom(JAVA_BYTE, bytes);
            assertEquals(bytes.length, SYS.write(fd, buffer.address(), bytes.length), "write fd " + fd);
        }
    }

    /** Reads until EAGAIN or end of file; the bytes read (maybe none). */
    public static byte[] drain(int fd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(4096);
            while (true) {
                long n = SYS.read(fd, buffer.address(), buffer.byteSize());
                if (n > 0) {
                    out.write(buffer.asSlice(0, n).toArray(JAVA_BYTE), 0, (int) n);
                } else if (n == 0 || n == -Errno.EAGAIN) {
                    return out.toByteArray();
                } else if (n != -Errno.EINTR) {
                    throw new AssertionError("read fd " + fd + ": " + Errno.name((int) -n));
                }
            }
        }
    }

    public static void close(int... fds) {
        for (int fd : fds) {
            SYS.close(fd);
        }
    }

    /** The loop's thread, asked of the loop itself. */
    public static Thread loopThread(EventLoop loop) throws Exception {
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        loop.execute(() -> thread.complete(Thread.currentThread()));
        return thread.get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    /**
     * Returns after a started loop has gone through at least {@code iterations} more calls to
     * {@code epoll_wait} (a chain of zero-delay timers, each firing through the timerfd), so a
     * level-triggered fd that stayed ready would have been reported that many times. Tasks alone
     * would not do: the loop runs the tasks queued by tasks in the same iteration.
     */
    public static void iterate(EventLoop loop, int iterations) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger left = new AtomicInteger(iterations);
        Runnable link = new Runnable() {
            @Override
            public void run() {
                if (left.decrementAndGet() <= 0) {
                    done.countDown();
                } else {
                    loop.schedule(Duration.ZERO, this);
                }
            }
        };
        loop.schedule(Duration.ZERO, link);
        await(done, "the loop iterated " + iterations + " times");
    }

    public static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(TIMEOUT_S, TimeUnit.SECONDS), "timed out waiting: " + what);
    }

    /** For use inside loop callbacks: waits for a latch the test thread releases. */
    public static void awaitUnchecked(CountDownLatch latch) {
        try {
            if (!latch.await(TIMEOUT_S, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out inside a loop callback");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static void sleepUnchecked(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
