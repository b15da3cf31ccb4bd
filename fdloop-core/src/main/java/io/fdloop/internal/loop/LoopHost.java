package io.fdloop.internal.loop;

import io.fdloop.internal.linux.Syscalls;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * What an event loop offers to the file layer: its thread, its task queue and a place to plug
 * completion sources in. Reached through {@link LoopAccess}; never part of the public API.
 *
 * <p><b>Thread-safe</b> unless a method says otherwise.
 */
public interface LoopHost {

    /** The loop's name, for thread names and messages. */
    String name();

    Syscalls syscalls();

    LoopSettings settings();

    /** Whether the caller runs on this loop's thread. */
    boolean inLoop();

    /** Whether the loop has begun to close: it takes no new work. */
    boolean isShuttingDown();

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
    io.fdloop.Timer schedule(Runnable task, long delayNs);

    /** How long a close waits for requests in flight before it abandons them, in nanoseconds. */
    long closeTimeoutNs();
}
