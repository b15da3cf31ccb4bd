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

    /** Adds a source to the loop's epoll set and to every iteration. */
    void addSource(CompletionSource source) throws IOException;

    /** The loop's single instance of {@code type}, made by {@code factory} on first use. */
    <T> T attachment(Class<T> type, Function<LoopHost, T> factory);

    /** Adds a task the loop runs while it closes, after every source went idle and before they are closed. */
    void onShutdown(Runnable task);
}
