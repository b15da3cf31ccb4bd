package io.fdloop.internal.linux;

/**
 * io_uring's structures and constants from {@code include/uapi/linux/io_uring.h}.
 *
 * <p>{@code struct io_uring_params} (120 bytes), filled in by {@code io_uring_setup}:
 * <pre>
 *  0          4          8       12             16              20        24      28       40        80        120
 *  +----------+----------+-------+--------------+---------------+---------+-------+--------+---------+---------+
 *  |sq_entries|cq_entries| flags |sq_thread_cpu |sq_thread_idle |features | wq_fd | resv[3]| sq_off  | cq_off  |
 *  +----------+----------+-------+--------------+---------------+---------+-------+--------+---------+---------+
 *  sq_off: head tail ring_mask ring_entries flags dropped array resv1 (u32 each) user_addr (u64)
 *  cq_off: head tail ring_mask ring_entries overflow cqes flags resv1 (u32 each) user_addr (u64)
 * </pre>
 * {@code struct io_uring_sqe} (64 bytes), the fields fdloop sets:
 * <pre>
 *  0      1     2       4    8         16        24    28                32          40        64
 *  +------+-----+-------+----+---------+---------+-----+-----------------+-----------+--  ...  -+
 *  |opcode|flags|ioprio | fd |   off   |  addr   | len |rw/fsync_flags   | user_data | (zeroed) |
 *  +------+-----+-------+----+---------+---------+-----+-----------------+-----------+--  ...  -+
 * </pre>
 * The same 64 bytes as the socket operations read them (unions of the kernel's struct, by offset):
 * {@code off} is {@code addr2} (accept's address length pointer) and, for {@code IORING_OP_CONNECT}, the
 * address length; {@code addr} is {@code splice_off_in} for {@code IORING_OP_SPLICE}; the flags word
 * at 28 is {@code msg_flags}, {@code accept_flags}, {@code cancel_flags} or {@code splice_flags};
 * {@code ioprio} carries {@code IORING_RECV_MULTISHOT} and {@code IORING_ACCEPT_MULTISHOT};
 * {@code buf_index} at 40 is {@code buf_group} with {@code IOSQE_BUFFER_SELECT}; 44 is
 * {@code splice_fd_in}.
 *
 * <p>{@code struct io_uring_cqe} (16 bytes): {@code user_data} (u64), {@code res} (s32), {@code flags}
 * (u32); with {@code IORING_CQE_F_BUFFER} the top 16 bits of {@code flags} are the id of the provided
 * buffer the kernel filled.
 *
 * <p>A provided buffer ring ({@code IORING_REGISTER_PBUF_RING}, Linux 5.19) is an array of
 * {@code struct io_uring_buf} (16 bytes each), page-aligned, whose tail the application publishes in
 * the {@code resv} field of the first entry ({@code struct io_uring_buf_ring}):
 * <pre>
 *  struct io_uring_buf          0        8     12    14     16
 *                               +--------+-----+-----+------+
 *                               |  addr  | len | bid | resv |   (entry 0's resv is the ring's tail)
 *                               +--------+-----+-----+------+
 *  struct io_uring_buf_reg      0           8              12     14    16            40
 *                               +-----------+--------------+------+-----+-------------+
 *                               | ring_addr | ring_entries | bgid | pad |  resv[3]    |
 *                               +-----------+--------------+------+-----+-------------+
 * </pre>
 * {@code struct io_uring_probe} (16 bytes, then {@code ops_len} entries of {@code struct
 * io_uring_probe_op}, 8 bytes: {@code op} u8, {@code resv} u8, {@code flags} u16, {@code resv2} u32)
 * is what {@code IORING_REGISTER_PROBE} fills: {@code last_op} at 0, {@code ops_len} at 1.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class IoUringLayout {
    public static final long PARAMS_SIZE = 120;
    public static final long PARAMS_SQ_ENTRIES = 0, PARAMS_CQ_ENTRIES = 4, PARAMS_FLAGS = 8, PARAMS_FEATURES = 20,
            PARAMS_SQ_OFF = 40, PARAMS_CQ_OFF = 80;
    /** Offsets inside {@code sq_off}. */
    public static final long SQ_HEAD = 0, SQ_TAIL = 4, SQ_RING_MASK = 8, SQ_RING_ENTRIES = 12, SQ_FLAGS = 16,
            SQ_DROPPED = 20, SQ_ARRAY = 24;
    /** Offsets inside {@code cq_off}. */
    public static final long CQ_HEAD = 0, CQ_TAIL = 4, CQ_RING_MASK = 8, CQ_RING_ENTRIES = 12, CQ_OVERFLOW = 16,
            CQ_CQES = 20;

    public static final long SQE_SIZE = 64;
    public static final long SQE_OPCODE = 0, SQE_FLAGS = 1, SQE_IOPRIO = 2, SQE_FD = 4, SQE_OFF = 8, SQE_ADDR = 16,
            SQE_LEN = 24, SQE_OP_FLAGS = 28, SQE_USER_DATA = 32, SQE_BUF_INDEX = 40, SQE_PERSONALITY = 42,
            SQE_SPLICE_FD_IN = 44, SQE_ADDR3 = 48;
    /** The same offsets under the names the socket operations give them. */
    public static final long SQE_ADDR2 = SQE_OFF, SQE_SPLICE_OFF_IN = SQE_ADDR, SQE_MSG_FLAGS = SQE_OP_FLAGS,
            SQE_BUF_GROUP = SQE_BUF_INDEX;
    public static final long CQE_SIZE = 16;
    public static final long CQE_USER_DATA = 0, CQE_RES = 8, CQE_FLAGS = 12;
    /** {@code sqe.flags}: the next entry starts only once this one has succeeded (a failure or short transfer cancels it). */
    public static final byte IOSQE_IO_LINK = 1 << 2;
    /** {@code cqe.flags}: more completions will come for the same request (multishot). */
    public static final int CQE_F_MORE = 1 << 1;

    /** {@code cqe.flags}: the top 16 bits name the provided buffer the data is in. */
    public static final int CQE_F_BUFFER = 1;
    /** {@code cqe.flags}: the socket had more data after this receive (Linux 5.19). */
    public static final int CQE_F_SOCK_NONEMPTY = 1 << 2;
    /** Where the provided buffer's id starts in {@code cqe.flags}. */
    public static final int CQE_BUFFER_SHIFT = 16;

    public static final byte IORING_OP_NOP = 0, IORING_OP_READV = 1, IORING_OP_WRITEV = 2, IORING_OP_FSYNC = 3,
            IORING_OP_SENDMSG = 9, IORING_OP_ACCEPT = 13, IORING_OP_ASYNC_CANCEL = 14, IORING_OP_CONNECT = 16,
            IORING_OP_FALLOCATE = 17, IORING_OP_READ = 22, IORING_OP_WRITE = 23, IORING_OP_SEND = 26,
            IORING_OP_RECV = 27, IORING_OP_SPLICE = 30;
    /** {@code sqe.flags}: take the buffer from the provided buffer group {@code buf_group} names. */
    public static final byte IOSQE_BUFFER_SELECT = 1 << 5;
    /** {@code sqe.ioprio} of {@code IORING_OP_RECV}: keep receiving into provided buffers (Linux 6.0). */
    public static final short IORING_RECV_MULTISHOT = 1 << 1;
    /** {@code sqe.ioprio} of {@code IORING_OP_ACCEPT}: keep accepting (Linux 5.19). */
    public static final short IORING_ACCEPT_MULTISHOT = 1;
    /** {@code sqe.splice_flags} (include/uapi/linux/splice.h): more data follows (MSG_MORE on a socket). */
    public static final int SPLICE_F_MORE = 4;
    /** {@code sqe.cancel_flags} of {@code IORING_OP_ASYNC_CANCEL}: every match, matched by fd (Linux 5.19). */
    public static final int IORING_ASYNC_CANCEL_ALL = 1, IORING_ASYNC_CANCEL_FD = 1 << 1;
    public static final int IORING_FSYNC_DATASYNC = 1;
    public static final int IORING_SETUP_CQSIZE = 1 << 3, IORING_SETUP_CLAMP = 1 << 4, IORING_SETUP_COOP_TASKRUN = 1 << 8;
    public static final int IORING_FEAT_SINGLE_MMAP = 1, IORING_FEAT_NODROP = 1 << 1;
    /** {@code sq_off.flags}: completions overflowed the CQ; {@code io_uring_enter(GETEVENTS)} brings them in. */
    public static final int IORING_SQ_CQ_OVERFLOW = 1 << 1;
    public static final int IORING_ENTER_GETEVENTS = 1;
    public static final int IORING_REGISTER_EVENTFD = 4, IORING_UNREGISTER_EVENTFD = 5, IORING_REGISTER_PROBE = 8,
            IORING_REGISTER_PBUF_RING = 22, IORING_UNREGISTER_PBUF_RING = 23;

    public static final long BUF_SIZE = 16, BUF_ADDR = 0, BUF_LEN = 8, BUF_BID = 12;
    /** The ring's tail: the {@code resv} field of entry 0. */
    public static final long BUF_RING_TAIL = 14;
    public static final long BUF_REG_SIZE = 40, BUF_REG_RING_ADDR = 0, BUF_REG_RING_ENTRIES = 8, BUF_REG_BGID = 12;
    /** The most entries a provided buffer ring holds (a power of two below 65536). */
    public static final int BUF_RING_MAX_ENTRIES = 32768;

    public static final long PROBE_SIZE = 16, PROBE_LAST_OP = 0, PROBE_OPS_LEN = 1;
    public static final long PROBE_OP_SIZE = 8, PROBE_OP_OP = 0, PROBE_OP_FLAGS = 2;
    /** {@code io_uring_probe_op.flags}: the kernel supports the opcode. */
    public static final int IO_URING_OP_SUPPORTED = 1;
    public static final long IORING_OFF_SQ_RING = 0L, IORING_OFF_CQ_RING = 0x8000000L, IORING_OFF_SQES = 0x10000000L;

    /** mmap(2) arguments. */
    public static final int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1, MAP_POPULATE = 0x8000;

    private IoUringLayout() {
    }
}
