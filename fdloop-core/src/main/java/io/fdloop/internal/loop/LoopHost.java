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
