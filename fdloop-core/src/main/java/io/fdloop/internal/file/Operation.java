package io.fdloop.internal.file;

/**
 * The kinds of file operation a backend performs.
 *
 * <p><b>Immutable; thread-safe.</b>
 */
public enum Operation {
    READ("pread"),
    WRITE("pwrite"),
    READV("preadv"),
    WRITEV("pwritev"),
    FSYNC("fsync"),
    FDATASYNC("fdatasync"),
    /** A write, then fdatasync once it has written every byte: durable when it completes. */
    WRITE_FDATASYNC("pwrite+fdatasync");

    private final String callName;

    Operation(String callName) {
        this.callName = callName;
    }

    /** The name of the system call the operation stands for, for messages. */
    public String callName() {
        return callName;
    }

    /** Whether the kernel writes into the operation's buffers. */
    public boolean readsIntoBuffers() {
        return this == READ || this == READV;
    }

    /** Whether the kernel reads from the operation's buffers. */
    public boolean writesFromBuffers() {
        return this == WRITE || this == WRITEV || this == WRITE_FDATASYNC;
    }

    /** Whether the operation's address is an iovec array and its count the number of buffers. */
    public boolean isVectored() {
        return this == READV || this == WRITEV;
    }

    /** Whether the operation has no buffer: a sync. */
    public boolean isSync() {
        return this == FSYNC || this == FDATASYNC;
    }
}
