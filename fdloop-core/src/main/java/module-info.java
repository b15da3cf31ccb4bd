/**
 * fdloop: one epoll loop for every kind of file descriptor Linux can wait on.
 *
 * <p>The API is {@code io.fdloop} (the loop, fds, timers, signals, user events),
 * {@code io.fdloop.file} (files), {@code io.fdloop.net} (sockets) and {@code io.fdloop.journal}
 * (a group-commit write-ahead log). Everything under
 * {@code io.fdloop.internal} is implementation and may change without notice.
 */
module io.fdloop {
    requires jdk.unsupported; // sun.misc.Signal: the JVM's own signal hook, see SignalBridge

    exports io.fdloop;
    exports io.fdloop.file;
    exports io.fdloop.net;
    exports io.fdloop.journal;
}
