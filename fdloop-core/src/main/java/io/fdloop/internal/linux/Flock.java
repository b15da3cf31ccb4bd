package io.fdloop.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct flock} from {@code include/uapi/asm-generic/fcntl.h}, 64-bit {@code off_t}
 * (x86_64 and aarch64 alike), and the open file description ("OFD") lock commands of fcntl(2):
 * <pre>
 *  0      2        4       8                16               24      28      32
 *  +------+--------+-------+----------------+----------------+-------+-------+
 *  |l_type|l_whence|  pad  |    l_start     |     l_len      | l_pid |  pad  |
 *  +------+--------+-------+----------------+----------------+-------+-------+
 * </pre>
 * {@code l_len} 0 means "to the end of the file, however it grows". OFD locks belong to the open
 * file description, not the process: they conflict between two opens of one file in the same
 * process (and with classic POSIX record locks), and go away when its last fd is closed.
 * {@code l_pid} must be 0 for the OFD commands.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class Flock {
    public static final long SIZE = 32;
    public static final long TYPE = 0, WHENCE = 2, START = 8, LEN = 16, PID = 24;

    public static final int F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38;
    public static final short F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
    public static final short SEEK_SET = 0;

    private Flock() {
    }

    /**
     * Applies {@code type} to {@code [start, start + length)} ({@code length} 0: to the end of the
     * file) with an OFD {@code command}, retrying EINTR. {@link #F_OFD_SETLKW} blocks until granted.
     *
     * @return 0, or {@code -errno}: {@code -EAGAIN} when {@link #F_OFD_SETLK} meets a conflicting lock
     */
    public static int apply(Syscalls syscalls, int fd, int command, short type, long start, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment flock = arena.allocate(SIZE, 8);
            fill(flock, type, start, length);
            int r;
            do {
                r = syscalls.fcntlLock(fd, command, flock);
            } while (r == -Errno.EINTR);
            return r;
        }
    }

    /** Writes one request; the padding and {@code l_pid} are zeroed. */
    public static void fill(MemorySegment flock, short type, long start, long length) {
        flock.asSlice(0, SIZE).fill((byte) 0);
        flock.set(JAVA_SHORT, TYPE, type);
        flock.set(JAVA_SHORT, WHENCE, SEEK_SET);
        flock.set(JAVA_LONG, START, start);
        flock.set(JAVA_LONG, LEN, length);
        flock.set(JAVA_INT, PID, 0);
    }
}
