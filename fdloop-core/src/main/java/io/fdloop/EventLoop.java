package io.fdloop;

import io.fdloop.internal.loop.LoopBuilder;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One event loop: a single thread waiting in one {@code epoll_wait} on disk completions (io_uring
 * or Linux AIO signalling an eventfd), sockets, timers (one timerfd), signals, user
 * {@link EventFd}s and any fd you register.
 *
 * <p><b>Thread-safe</b> where a method says "any thread"; callbacks, timers, signal handlers and
 * I/O completions always run on the loop thread.
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
 * {@link #runOnce} or {@link #run()}. Scale out with one loop per core.
 *
 * <p>Futures that a loop completes fail fast with {@link BlockingOperationException} when joined on
 * that loop's own thread before they are done: the wait could never end.
 */
public interface EventLoop extends Executor, AutoCloseable {

    /**
     * A loop with default settings, on a thread of its own. Any thread.
     *
     * @return the running loop
     * @throws IOException when the kernel refuses the loop's fds (epoll, eventfd, timerfd)
     */
    static EventLoop start() throws IOException {
        return builder().start();
    }

    /**
     * A loop with default settings, driven by the calling thread, which becomes its loop thread.
     *
     * @return the loop, to be run with {@link #runOnce} or {@link #run()}
     * @throws IOException when the kernel refuses the loop's fds
     */
    static EventLoop open() throws IOException {
        return builder().build();
    }

    /**
     * Settings for a new loop. Any thread.
     *
     * @return a builder with the defaults
     */
    static Builder builder() {
        return new LoopBuilder();
    }

    /**
     * The loop's name, also its thread's when it has one. Any thread.
     *
     * @return the name given to {@link Builder#name}, or {@code fdloop-N}
     */
    String name();

    /**
     * Whether the calling thread is this loop's thread. Any thread.
     *
     * @return true on the loop thread
     */
    boolean inLoop();

    /**
     * Runs {@code task} on the loop thread, after the tasks handed over before it. Any thread;
     * wakes the loop only if it sleeps or may be about to. A task accepted here always runs, also
     * when the loop closes right after.
     *
     * @throws RejectedExecutionException once the loop is closing
     */
    @Override
    void execute(Runnable task);

    /**
     * Runs {@code task} once on the loop thread after {@code delay}. Any thread.
     *
     * @param delay how long to wait; zero or negative runs it in the next iteration
     * @param task  what to run
     * @return the timer, which can be cancelled
     * @throws RejectedExecutionException once the loop is closing (from another thread)
     */
    Timer schedule(Duration delay, Runnable task);

    /**
     * Runs {@code task} once on the loop thread after {@code delay} {@code unit}s. Any thread.
     *
     * @param delay how long to wait, in {@code unit}s
     * @param unit  the unit of {@code delay}
     * @param task  what to run
     * @return the timer, which can be cancelled
     * @throws RejectedExecutionException once the loop is closing (from another thread)
     */
    Timer schedule(long delay, TimeUnit unit, Runnable task);

    /**
     * Runs {@code task} on the loop thread after {@code initialDelay}, then every {@code period}
     * (deadlines at fixed rate, as {@code ScheduledExecutorService.scheduleAtFixedRate}). Any thread.
     *
     * @param initialDelay how long until the first run
     * @param period       the time between deadlines; positive
     * @param task         what to run
     * @return the timer, which stops the runs when cancelled
     * @throws IllegalArgumentException   for a period that is not positive
     * @throws RejectedExecutionException once the loop is closing (from another thread)
     */
    Timer scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task);

    /**
     * Watches {@code fd} (a pipe, eventfd, inotify fd, timerfd, socket...) and calls {@code handler}
     * on the loop thread when it is ready. The fd stays the caller's: cancel the registration before
     * closing it. Any thread.
     *
     * @param fd       the fd to watch
     * @param interest what to wait for
     * @param handler  called with the registration and the ready bits ({@link Registration#READABLE}...)
     * @return the registration
     * @throws IOException                when epoll refuses the fd (already registered, a regular file, closed)
     * @throws RejectedExecutionException once the loop is closing
     */
    Registration register(int fd, Interest interest, FdHandler handler) throws IOException;

    /**
     * Watches a user event; see {@link #register(int, Interest, FdHandler)}. Any thread.
     *
     * @param eventFd  the event to watch
     * @param interest what to wait for (usually {@link Interest#READ})
     * @param handler  called on the loop thread when it is ready
     * @return the registration
     * @throws IOException when epoll refuses the fd
     */
    default Registration register(EventFd eventFd, Interest interest, FdHandler handler) throws IOException {
        return register(eventFd.fd(), interest, handler);
    }

    /**
     * Runs {@code handler} on the loop thread each time the process receives {@code signal}.
     * While any loop handles a signal, the JVM's default action for it (running the shutdown hooks
     * and exiting) does not happen; it comes back when the last handler goes, also when its loop
     * closes. Any thread.
     *
     * @param signal  the signal
     * @param handler what to run
     * @return the registration, which removes the handler when cancelled
     * @throws RejectedExecutionException once the loop is closing
     * @throws IllegalStateException      when the JVM refuses to give the signal up (it runs with -Xrs)
     */
    SignalRegistration onSignal(Signal signal, Runnable handler);

    /**
     * Runs one iteration, waiting at most {@code timeout} for an event (zero: do not wait; negative:
     * until an event). Loop thread only, on a loop that was {@linkplain #open() opened} rather than started.
     *
     * @param timeout the longest wait
     * @return false once the loop is closed
     * @throws IOException           when the loop's own fds fail
     * @throws IllegalStateException on a started loop, or on another thread
     */
    boolean runOnce(Duration timeout) throws IOException;

    /**
     * Runs iterations until the loop is closed. Loop thread only, on an opened loop.
     *
     * @throws IOException           when the loop's own fds fail
     * @throws IllegalStateException on a started loop, or on another thread
     */
    void run() throws IOException;

    /**
     * Whether {@link #close()} has begun. Any thread.
     *
     * @return true once closing or closed
     */
    boolean isClosed();

    /**
     * Closes the loop: it stops taking work (new I/O fails at once, {@code execute} rejects; every
     * task accepted before still runs), cancels timers, gives the signals it handled back to the JVM,
     * closes its files and connections, waits for the I/O in flight and delivers every completion —
     * cancelling what is left at half the {@link Builder#closeTimeout close timeout} and abandoning it
     * at the whole (failed with {@link java.nio.channels.AsynchronousCloseException}, its memory kept)
     * — then closes its fds and frees its memory. Idempotent.
     *
     * <p>From another thread this waits until the loop has closed; on the loop thread (in a
     * handler) it returns at once and the loop closes when the current iteration ends. A loop
     * driven by its caller closes in that thread's next {@link #runOnce}: closing it from another
     * thread waits for that.
     */
    @Override
    void close();

    /**
     * Waits up to {@code timeout} for the loop to finish closing. Any thread.
     *
     * @param timeout the longest wait
     * @return whether it has finished closing
     * @throws InterruptedException when interrupted while waiting
     */
    boolean awaitTermination(Duration timeout) throws InterruptedException;

    /**
     * Settings for a new loop.
     *
     * <p><b>Not thread-safe.</b> Each kind of I/O brings its own settings ({@link #with(IoSettings)});
     * the loop's own are these.
     */
    interface Builder {

        /**
         * The loop's name, also its thread's. Default {@code fdloop-N}.
         *
         * @param name the name
         * @return this builder
         */
        Builder name(String name);

        /**
         * Whether a started loop's thread is a daemon thread. Default false.
         *
         * @param daemon true for a daemon thread
         * @return this builder
         */
        Builder daemon(boolean daemon);

        /**
         * How long {@link EventLoop#close()} and the close of a file or connection wait for requests in
         * flight. What is left at half this time is cancelled where the kernel can (io_uring:
         * {@code IORING_OP_ASYNC_CANCEL}; the thread backend: requests not yet started); what is left at
         * the whole is abandoned: its future fails with {@link java.nio.channels.AsynchronousCloseException}
         * and the memory it references is kept alive for good, since the kernel may still write to it.
         * Regular files and block devices complete their requests in far less unless the device is
         * failing. Default 10 seconds.
         *
         * @param timeout the time, zero or more
         * @return this builder
         */
        Builder closeTimeout(Duration timeout);

        /**
         * Watches the loop's batches and wake-ups (for tracing); called on the loop thread.
         *
         * @param observer the observer, or null for none
         * @return this builder
         */
        Builder observer(LoopObserver observer);

        /**
         * Where what user code throws goes (tasks, timers, handlers, completions). Default: logged.
         *
         * @param handler the handler
         * @return this builder
         */
        Builder exceptionHandler(LoopExceptionHandler handler);

        /**
         * The settings of one kind of I/O on this loop, such as {@code io.fdloop.file.FileSettings};
         * given twice for the same kind, the last wins.
         *
         * @param settings the settings
         * @return this builder
         */
        Builder with(IoSettings settings);

        /**
         * A loop driven by the calling thread, which becomes its loop thread.
         *
         * @return the loop
         * @throws IOException when the kernel refuses the loop's fds
         */
        EventLoop build() throws IOException;

        /**
         * A loop running on a new platform thread of its own.
         *
         * @return the running loop
         * @throws IOException when the kernel refuses the loop's fds
         */
        EventLoop start() throws IOException;
    }
}
