package io.fdloop.internal.linux;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct iocb} from {@code include/uapi/linux/aio_abi.h}, little-endian (x86_64 and aarch64):
 * <pre>
 *  0                8        12       16     18     20       24
 *  +----------------+--------+--------+------+------+--------+
 *  |    aio_data    |aio_key |rw_flags|opcode|prio  | fildes |
 *  +----------------+--------+--------+------+------+--------+
 *  24               32               40               48
 *  +----------------+----------------+----------------+
 *  |    aio_buf     |   aio_nbytes   |   aio_offset   |
 *  +----------------+----------------+----------------+
 *  48               56       60       64
 *  +----------------+--------+--------+
 *  | aio_reserved2  |aio_flags|aio_resfd|
 *  +----------------+--------+--------+
 * </pre>
 * {@code aio_flags} / {@code aio_resfd} let a request signal an eventfd: with {@link #IOCB_FLAG_RESFD}
 * the kernel adds 1 to the eventfd {@code aio_resfd} when the request completes.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class Iocb {
    public static final long SIZE = 64;
    public static final long DATA = 0, KEY = 8, RW_FLAGS = 12, OPCODE = 16, REQPRIO = 18, FILDES = 20, BUF = 24,
            NBYTES = 32, OFFSET = 40, RESERVED2 = 48, FLAGS = 56, RESFD = 60;

    public static final short IOCB_CMD_PREAD = 0, IOCB_CMD_PWRITE = 1, IOCB_CMD_FSYNC = 2, IOCB_CMD_FDSYNC = 3,
            IOCB_CMD_POLL = 5, IOCB_CMD_NOOP = 6, IOCB_CMD_PREADV = 7, IOCB_CMD_PWRITEV = 8;
    public static final int IOCB_FLAG_RESFD = 1;
    /** {@code RWF_NOWAIT} for {@code aio_rw_flags}. */
    public static final int RWF_NOWAIT = 0x8;

    private Iocb() {
    }

    /** Fills the whole iocb at {@code offset} in {@code iocbs}, clearing the reserved fields. */
    public static void fill(MemorySegment iocbs, long offset, long data, short opcode, int fd, long buffer,
                            long length, long position, int resfd) {
        iocbs.set(JAVA_LONG, offset + DATA, data);
        iocbs.set(JAVA_LONG, offset + KEY, 0L); // aio_key and aio_rw_flags
        iocbs.set(JAVA_SHORT, offset + OPCODE, opcode);
        iocbs.set(JAVA_SHORT, offset + REQPRIO, (short) 0);
        iocbs.set(JAVA_INT, offset + FILDES, fd);
        iocbs.set(JAVA_LONG, offset + BUF, buffer);
        iocbs.set(JAVA_LONG, offset + NBYTES, length);
        iocbs.set(JAVA_LONG, offset + OFFSET, position);
        iocbs.set(JAVA_LONG, offset + RESERVED2, 0L);
        iocbs.set(JAVA_INT, offset + FLAGS, IOCB_FLAG_RESFD);
        iocbs.set(JAVA_INT, offset + RESFD, resfd);
    }
}
