package io.fdloop.internal.loop;

/**
 * What the loop calls when an fd that an internal engine watches (see {@link LoopHost#watch}) is ready.
 *
 * <p><b>Loop thread only.</b>
 */
@FunctionalInterface
public interface FdWatcher {
    /** {@code epollEvents}: the {@code EPOLLIN}/{@code EPOLLOUT}/{@code EPOLLERR}/{@code EPOLLHUP}/{@code EPOLLRDHUP} bits epoll reported. */
    void ready(int epollEvents);
}
