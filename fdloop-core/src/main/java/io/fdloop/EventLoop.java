package io.fdloop;

import io.fdloop.internal.linux.Syscalls;
import io.fdloop.internal.loop.LoopAccess;
import io.fdloop.internal.loop.LoopSettings;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One event loop: a single thread waiting in one {@code epoll_wait} on disk completions (Linux AIO
 * signalling an eventfd), timers (one timerfd), signals, user {@link EventFd}s and any fd you register.
 *
 * <p><b>Thread-safe</b> where a method says "any thread"; callbacks, timers, signal handlers and
 * file completions always run on the loop thread.
 *
 * <pre>{@code
 * try (EventLoop loop = EventLoop.start()) {            // runs on a thread of its own
 *     loop.schedule(Duration.ofMillis(100), () -> System.out.println("tick"));
 *     loop.onSignal(Signal.TERM, loop::close);
 * }
 * }</pre>
 *
 * A loop is either started on a platform thread it owns ({@link #start()}, {@link Builder#start()})
 * or driven by the thread that built it ({@link #open()}, {@link Builder#build()}), which then calls
 * {@link #runOnce} or {@link #run()}.
 */
public final class EventLoop implements Executor, AutoCloseable {
    static {
        LoopAccess.install(loop -> ((EventLoop) loop).reactor);
    }

    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    private final Reactor reactor;
    private final Thread ownThread;
    private boolean insideRunOnce; // loop thread only

    private EventLoop(Reactor reactor, Thread ownThread) {
        this.reactor = reactor;
        this.ownThread = ownThread;
    }

    /** A loop with default settings, on a thread of its own. */
    public static EventLoop start() throws IOException {
        return builder().start();
    }

    /** A loop with default settings, driven by the calling thread. */
    public static EventLoop open() throws IOException {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public String name() {
        return reactor.name;
    }

    /** Whether the calling thread is this loop's thread. Any thread. */
    public boolean inLoop() {
        return reactor.inLoop();
    }

    /**
     * Runs {@code task} on the loop thread, after the tasks handed over before it. Any thread;
     * wakes the loop only if it sleeps or may be about to.
     *
     * @throws RejectedExecutionException once the loop is closing
     */
    @Override
    public void execute(Runnable task) {
        reactor.execute(Objects.requireNonNull(task, "task"));
    }

    /** Runs {@code task} once on the loop thread after {@code delay}. Any thread. */
    public Timer schedule(Duration delay, Runnable task) {
        return reactor.schedule(Objects.requireNonNull(task, "task"), delay.toNanos(), 0);
    }

    /** Runs {@code task} once on the loop thread after {@code delay} {@code unit}s. Any thread. */
    public Timer schedule(long delay, TimeUnit unit, Runnable task) {
        return reactor.schedule(Objects.requireNonNull(task, "task"), unit.toNanos(delay), 0);
    }

    /**
     * Runs {@code task} on the loop thread after {@code initialDelay}, then every {@code period}
     * (deadlines at fixed rate, as {@code ScheduledExecutorService.scheduleAtFixedRate}). Any thread.
     */
    public Timer scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive, was " + period);
        }
        return reactor.schedule(Objects.requireNonNull(task, "task"), initialDelay.toNanos(), period.toNanos());
    }

    /**
     * Watches {@code fd} (a socket, pipe, eventfd, timerfd, ...) and calls {@code handler} on the
     * loop thread when it is ready. The fd stays the caller's: cancel the registration before
     * closing it. Any thread.
     *
     * @throws IOException when epoll refuses the fd (already registered, a regular file, closed)
     */
    public Registration register(int fd, Interest interest, FdHandler handler) throws IOException {
        if (fd < 0) {
            throw new IllegalArgumentException("fd must be >= 0, was " + fd);
        }
        return reactor.register(fd, Objects.requireNonNull(interest, "interest"), Objects.requireNonNull(handler, "handler"));
    }

    /** Watches a user event; see {@link #register(int, Interest, FdHandler)}. Any thread. */
    public Registration register(EventFd eventFd, Interest interest, FdHandler handler) throws IOException {
        return register(eventFd.fd(), interest, handler);
    }

    /**
     * Runs {@code handler} on the loop thread each time the process receives {@code signal}.
     * While any loop handles a signal, the JVM's default action for it (running the shutdown hooks
     * and exiting) does not happen. Any thread.
     */
    public SignalRegistration onSignal(Signal signal, Runnable handler) {
        return reactor.onSignal(Objects.requireNonNull(signal, "signal"), Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Runs one iteration, waiting at most {@code timeout} for an event (zero: do not wait).
     * Loop thread only, on a loop that was {@linkplain #open() opened} rather than started.
     *
     * @return false once the loop is closed
     */
    public boolean runOnce(Duration timeout) throws IOException {
        long ms = timeout.toMillis();
        return runOnce(timeout.isNegative() ? -1 : (int) Math.min(Integer.MAX_VALUE, ms));
    }

    /** Runs iterations until the loop is closed. Loop thread only, on an opened loop. */
    public void run() throws IOException {
        while (runOnce(-1)) {
            // each iteration waits for its events
        }
    }

    private boolean runOnce(int timeoutMs) throws IOException {
        if (ownThread != null) {
            throw new IllegalStateException("event loop " + name() + " runs on its own thread; runOnce is for loops made with open() or build()");
        }
        checkLoopThread("runOnce");
        if (reactor.isTerminated()) {
            return false;
        }
        insideRunOnce = true;
        try {
            if (!reactor.isShuttingDown()) {
                reactor.runOnce(timeoutMs);
            }
        } finally {
            insideRunOnce = false;
        }
        if (reactor.isShuttingDown()) {
            reactor.shutdown();
        }
        return !reactor.isTerminated();
    }

    /** Whether {@link #close()} has begun. Any thread. */
    public boolean isClosed() {
        return reactor.isShuttingDown();
    }

    /**
     * Closes the loop: it stops taking work (new I/O fails at once, {@code execute} rejects; every
     * task accepted before still runs), cancels timers, gives the signals it handled back to the JVM,
     * closes its files, waits for the I/O in flight and delivers every completion — cancelling what
     * is left at half the {@link Builder#closeTimeout close timeout} and abandoning it at the whole
     * (failed with {@link java.nio.channels.AsynchronousCloseException}, its memory kept) — then
     * closes its fds and frees its memory. Idempotent.
     *
     * <p>From another thread this waits until the loop has closed; on the loop thread (in a
     * handler) it returns at once and the loop closes when the current iteration ends. A loop
     * driven by its caller closes in that thread's next {@link #runOnce}: closing it from another
     * thread waits for that.
     */
    @Override
    public void close() {
        reactor.requestClose();
        if (inLoop()) {
            if (ownThread == null && !insideRunOnce) {
                reactor.shutdown();
            }
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                reactor.terminated.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits up to {@code timeout} for the loop to finish closing; returns whether it has. Any thread. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        try {
            reactor.terminated.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    private void checkLoopThread(String method) {
        if (!inLoop()) {
            throw new IllegalStateException(method + " must be called on the loop thread of " + name()
                    + " (the thread that built it), not on " + Thread.currentThread().getName());
        }
    }

    @Override
    public String toString() {
        return "EventLoop[" + name() + (isClosed() ? ", closed]" : "]");
    }

    /**
     * Settings for a new loop.
     *
     * <p><b>Not thread-safe.</b>
     */
    public static final class Builder {
        private String name;
        private int queueDepth = 1024;
        private boolean forceIoGetevents = "syscall".equals(System.getProperty("fdloop.aio.reap"));
        private int fileThreads = 4;
        private boolean daemon;
        private Duration closeTimeout = Duration.ofSeconds(10);
        private LoopObserver observer;
        private FileBackendChoice fileBackend;
        private Syscalls syscalls = Syscalls.linux();

        private Builder() {
        }

        /** The loop's name, also its thread's. Default {@code fdloop-N}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * How many file requests each backend may have in flight at once: the size asked of
         * {@code io_setup} for Linux AIO (the kernel may give more; fdloop reads what it got), the
         * submission queue of io_uring (rounded up to a power of two; its completion queue is twice
         * that). Requests beyond it wait in the loop and go out as earlier ones complete. Default 1024.
         */
        public Builder queueDepth(int depth) {
            if (depth < 1 || depth > 65536) {
                throw new IllegalArgumentException("queueDepth must be 1 to 65536, was " + depth);
            }
            this.queueDepth = depth;
            return this;
        }

        /**
         * Reaps Linux AIO completions with the {@code io_getevents} system call instead of reading
         * the completion ring the kernel maps into user memory. Slower; for kernels whose ring
         * layout fdloop does not recognise, or to compare. Also set by {@code -Dfdloop.aio.reap=syscall}.
         */
        public Builder forceIoGetevents(boolean force) {
            this.forceIoGetevents = force;
            return this;
        }

        /** Worker threads for files the kernel cannot serve asynchronously (buffered files). Default 4. */
        public Builder fileThreads(int threads) {
            if (threads < 1 || threads > 1024) {
                throw new IllegalArgumentException("fileThreads must be 1 to 1024, was " + threads);
            }
            this.fileThreads = threads;
            return this;
        }

        /**
         * Which mechanism this loop's files use; default {@link FileBackendChoice#AUTO}, or what
         * {@code -Dfdloop.backend=auto|aio|uring|threads} says.
         */
        public Builder fileBackend(FileBackendChoice choice) {
            this.fileBackend = Objects.requireNonNull(choice, "choice");
            return this;
        }

        /**
         * How long {@link EventLoop#close()} and the close of a file wait for requests in flight.
         * Closing first cancels what the kernel can cancel (io_uring: {@code IORING_OP_ASYNC_CANCEL};
         * the thread backend: requests not yet started); a request still unfinished after this
         * long is abandoned: its future fails with {@link java.nio.channels.AsynchronousCloseException}
         * and the memory it references is kept alive for good, since the kernel may still write to
         * it. Regular files and block devices complete their requests in far less unless the device
         * is failing. Default 10 seconds.
         */
        public Builder closeTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative, was " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /** Whether a started loop's thread is a daemon thread. Default false. */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /** Watches the loop's batches and wake-ups (for tracing); called on the loop thread. */
        public Builder observer(LoopObserver observer) {
            this.observer = observer;
            return this;
        }

        /** Test seam: the system calls the loop and its files make. */
        Builder syscalls(Syscalls syscalls) {
            this.syscalls = Objects.requireNonNull(syscalls);
            return this;
        }

        /** A loop driven by the calling thread, which becomes its loop thread. */
        public EventLoop build() throws IOException {
            return new EventLoop(newReactor(), null);
        }

        /** A loop running on a new platform thread of its own. */
        public EventLoop start() throws IOException {
            CompletableFuture<Reactor> created = new CompletableFuture<>();
            String threadName = threadName();
            Thread thread = Thread.ofPlatform().name(threadName).daemon(daemon).unstarted(() -> {
                Reactor reactor;
                try {
                    reactor = newReactor(threadName);
                } catch (IOException | RuntimeException e) {
                    created.completeExceptionally(e);
                    return;
                }
                created.complete(reactor);
                runUntilClosed(reactor);
            });
            thread.start();
            try {
                return new EventLoop(created.join(), thread);
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }

        private static void runUntilClosed(Reactor reactor) {
            try {
                while (!reactor.isShuttingDown()) {
                    reactor.runOnce(-1);
                }
            } catch (IOException | RuntimeException e) {
                System.getLogger("io.fdloop.EventLoop").log(System.Logger.Level.ERROR,
                        "event loop " + reactor.name + " failed; closing it", e);
                reactor.requestClose();
            } finally {
                reactor.shutdown();
            }
        }

        private Reactor newReactor() throws IOException {
            return newReactor(threadName());
        }

        private Reactor newReactor(String loopName) throws IOException {
            FileBackendChoice choice = fileBackend != null ? fileBackend : FileBackendChoice.fromSystemProperty();
            return new Reactor(loopName, syscalls, new LoopSettings(queueDepth, forceIoGetevents, fileThreads,
                    choice.name().toLowerCase(java.util.Locale.ROOT)), observer, saturatedNanos(closeTimeout));
        }

        private static long saturatedNanos(Duration duration) {
            try {
                return duration.toNanos();
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }

        private String threadName() {
            if (name == null) {
                name = "fdloop-" + NEXT_ID.getAndIncrement();
            }
            return name;
        }
    }
}
