package io.fdloop.internal.loop;

import io.fdloop.IoSettings;
import io.fdloop.Timer;
import io.fdloop.internal.linux.Syscalls;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * What an event loop offers to the kinds of I/O that run on it (files, sockets): its thread, its
 * task queue, its timers, a place to plug completion sources in, and the steps of its close. The one
 * door between the loop engine and the I/O engines; never part of the public API. An I/O engine
 * reaches it from a public {@code EventLoop} through {@link Loops#host}.
 *
 * <p><b>Thread-safe</b> unless a method says otherwise.
 */
public interface LoopHost {

    /** The loop's name, for thread names and messages. */
    String name();

    /** The system calls the loop's I/O makes: the real kernel, or a test's seam in front of it. */
    Syscalls syscalls();

    /**
     * The settings a kind of I/O was given on the loop's builder, or {@code defaults}.
     *
     * @param type     the settings' class
     * @param defaults what to use when the builder was given none of that class
     */
    <T extends IoSettings> T settings(Class<T> type, T defaults);

    /** Reports {@code error}, thrown by user code at {@code where}, to the loop's exception handler. */
    void uncaught(String where, Throwable error);

    /** Whether the caller runs on this loop's thread. */
    boolean inLoop();

    /** Whether the loop has begun to close: it takes no new work. */
    boolean isShuttingDown();

    /**
     * A future this loop will complete: joined on the loop thread before it is done, it fails with
     * {@link io.fdloop.BlockingOperationException} rather than wait forever. Any thread.
     */
    <T> CompletableFuture<T> newFuture();

    /** Runs {@code task} on the loop thread; throws {@link RejectedExecutionException} once closing. */
    void execute(Runnable task);

    /**
     * Runs {@code task} on the loop thread at the start of the next iteration, also while the loop
     * closes: how failures found on the loop thread reach their handlers without recursion. Loop
     * thread only.
     */
    void runLater(Runnable task);

    /** Adds a source to the loop's epoll set and to every iteration. */
    void addSource(CompletionSource source) throws IOException;

    /** The loop's single instance of {@code type}, made by {@code factory} on first use. */
    <T> T attachment(Class<T> type, Function<LoopHost, T> factory);

    /**
     * Makes {@code participant} part of the loop's close (see {@link ShutdownParticipant}).
     *
     * @throws RejectedExecutionException when the loop is already closing
     */
    void addShutdownParticipant(ShutdownParticipant participant);

    /** Runs {@code task} once on the loop thread after {@code delayNs}; the handle cancels it. Any thread. */
    Timer schedule(Runnable task, long delayNs);

    /** How long a close waits for requests in flight before it abandons them, in nanoseconds. */
    long closeTimeoutNs();

    /**
     * Adds {@code fd} to the loop's epoll set with {@code epollEvents}; {@code watcher} is called on the
     * loop thread with what is ready, also while the loop closes (until the source that watches it is
     * closed). The fd stays the caller's: unwatch it before closing it. Loop thread only; allocates
     * nothing per call.
     *
     * @return the token for {@link #rewatch} and {@link #unwatch}
     * @throws IOException when epoll refuses the fd
     */
    long watch(int fd, int epollEvents, FdWatcher watcher) throws IOException;

    /** Changes what a watched fd waits for (EPOLL_CTL_MOD); 0 or {@code -errno}. Loop thread only. */
    int rewatch(long token, int fd, int epollEvents);

    /** Stops watching {@code fd} (EPOLL_CTL_DEL); its watcher is not called again. Loop thread only. */
    void unwatch(long token, int fd);
}
