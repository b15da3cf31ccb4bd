/**
 * fdloop: one epoll loop for every kind of file descriptor Linux can wait on.
 *
 * <p>Only {@code io.fdloop}, {@code io.fdloop.file} and {@code io.fdloop.journal} are API. Everything under
 * {@code io.fdloop.internal} is implementation and may change without notice.
 */
module io.fdloop {
    requires jdk.unsupported; // sun.misc.Signal: the JVM's own signal hook, see SignalBridge

    exports io.fdloop;
    exports io.fdloop.file;
    exports io.fdloop.journal;
}
