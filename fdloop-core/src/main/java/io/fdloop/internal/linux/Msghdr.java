package io.fdloop.internal.linux;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct msghdr} and {@code struct iovec} for sendmsg(2), LP64 (the same on x86_64 and aarch64):
 * <pre>
 * struct msghdr (56 bytes)
 *  0          8         12      16         24           32            40              48        52    56
 *  +----------+---------+-------+----------+------------+-------------+---------------+---------+-----+
 *  | msg_name | namelen |  pad  | msg_iov  | msg_iovlen | msg_control | msg_controllen| flags   | pad |
 *  +----------+---------+-------+----------+------------+-------------+---------------+---------+-----+
 *
 * struct iovec (16 bytes)
 *  0          8          16
 *  +----------+----------+
 *  | iov_base | iov_len  |
 *  +----------+----------+
 * </pre>
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class Msghdr {
    public static final long SIZE = 56, NAME = 0, NAME_LENGTH = 8, IOV = 16, IOV_LENGTH = 24, CONTROL = 32,
            CONTROL_LENGTH = 40, FLAGS = 48;
    public static final long IOVEC_SIZE = 16, IOVEC_BASE = 0, IOVEC_LENGTH = 8;
    /** The most iovecs one call takes ({@code IOV_MAX}, {@code UIO_MAXIOV}). */
    public static final int IOV_MAX = 1024;

    private Msghdr() {
    }

    /** A message with no address and no control data, gathering from {@code iovecs}. */
    public static void fill(MemorySegment msghdr, long iovecs, int count) {
        msghdr.asSlice(0, SIZE).fill((byte) 0);
        msghdr.set(JAVA_LONG, IOV, iovecs);
        msghdr.set(JAVA_LONG, IOV_LENGTH, count);
    }

    public static void setIovecCount(MemorySegment msghdr, int count) {
        msghdr.set(JAVA_LONG, IOV_LENGTH, count);
    }

    public static void setIovec(MemorySegment iovecs, int index, long base, long length) {
        long at = index * IOVEC_SIZE;
        iovecs.set(JAVA_LONG, at + IOVEC_BASE, base);
        iovecs.set(JAVA_LONG, at + IOVEC_LENGTH, length);
    }
}
