package io.fdloop.internal.file;

/**
 * The kinds of file operation a backend performs.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class OpKind {
    public static final int READ = 0, WRITE = 1, READV = 2, WRITEV = 3, FSYNC = 4, FDATASYNC = 5;

    private OpKind() {
    }

    /** The name of the system call the operation stands for, for messages. */
    public static String callName(int kind) {
        return switch (kind) {
            case READ -> "pread";
            case WRITE -> "pwrite";
            case READV -> "preadv";
            case WRITEV -> "pwritev";
            case FSYNC -> "fsync";
            case FDATASYNC -> "fdatasync";
            default -> throw new IllegalArgumentException("unknown operation kind " + kind);
        };
    }
}
