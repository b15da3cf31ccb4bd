package io.fdloop;

/**
 * What a registration waits for: readability, writability or both, level- or edge-triggered.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * <pre>{@code
 * loop.register(fd, Interest.READ, handler);
 * loop.register(fd, Interest.READ_WRITE.edgeTriggered(), handler); // drain until EAGAIN on each wake-up
 * }</pre>
 */
public final class Interest {
    /** Wake when the fd is readable (EPOLLIN). */
    public static final Interest READ = new Interest(true, false, false);
    /** Wake when the fd is writable (EPOLLOUT). */
    public static final Interest WRITE = new Interest(false, true, false);
    /** Wake when the fd is readable or writable. */
    public static final Interest READ_WRITE = new Interest(true, true, false);

    private final boolean read;
    private final boolean write;
    private final boolean edgeTriggered;

    private Interest(boolean read, boolean write, boolean edgeTriggered) {
        this.read = read;
        this.write = write;
        this.edgeTriggered = edgeTriggered;
    }

    /**
     * The same interest, edge-triggered (EPOLLET): the handler is called once per change of state,
     * so it must read or write until the fd says EAGAIN or it will not be called again.
     *
     * @return the edge-triggered interest
     */
    public Interest edgeTriggered() {
        return new Interest(read, write, true);
    }

    /**
     * Whether readability is waited for.
     *
     * @return true for READ and READ_WRITE
     */
    public boolean read() {
        return read;
    }

    /**
     * Whether writability is waited for.
     *
     * @return true for WRITE and READ_WRITE
     */
    public boolean write() {
        return write;
    }

    /**
     * Whether the interest is edge-triggered.
     *
     * @return true when made by {@link #edgeTriggered()}
     */
    public boolean isEdgeTriggered() {
        return edgeTriggered;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Interest other && read == other.read && write == other.write
                && edgeTriggered == other.edgeTriggered;
    }

    @Override
    public int hashCode() {
        return (read ? 1 : 0) | (write ? 2 : 0) | (edgeTriggered ? 4 : 0);
    }

    @Override
    public String toString() {
        String what = read && write ? "READ_WRITE" : read ? "READ" : "WRITE";
        return edgeTriggered ? what + "(edge)" : what;
    }
}
