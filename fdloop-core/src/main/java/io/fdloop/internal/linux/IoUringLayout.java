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
 * {@code struct io_uring_cqe} (16 bytes): {@code user_data} (u64), {@code res} (s32), {@code flags} (u32).
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
    public static final long CQE_SIZE = 16;
    public static final long CQE_USER_DATA = 0, CQE_RES = 8, CQE_FLAGS = 12;
    /** {@code sqe.flags}: the next entry starts only once this one has succeeded (a failure or short transfer cancels it). */
    public static final byte IOSQE_IO_LINK = 1 << 2;
    /** {@code cqe.flags}: more completions will come for the same request (multishot). */
    public static final int CQE_F_MORE = 1 << 1;

    public static final byte IORING_OP_NOP = 0, IORING_OP_READV = 1, IORING_OP_WRITEV = 2, IORING_OP_FSYNC = 3,
            IORING_OP_ASYNC_CANCEL = 14, IORING_OP_FALLOCATE = 17, IORING_OP_READ = 22, IORING_OP_WRITE = 23;
    /** {@code sqe.cancel_flags} of {@code IORING_OP_ASYNC_CANCEL}: every match, matched by fd (Linux 5.19). */
    public static final int IORING_ASYNC_CANCEL_ALL = 1, IORING_ASYNC_CANCEL_FD = 1 << 1;
    public static final int IORING_FSYNC_DATASYNC = 1;
    public static final int IORING_SETUP_CQSIZE = 1 << 3, IORING_SETUP_CLAMP = 1 << 4;
    public static final int IORING_FEAT_SINGLE_MMAP = 1, IORING_FEAT_NODROP = 1 << 1;
    public static final int IORING_ENTER_GETEVENTS = 1;
    public static final int IORING_REGISTER_EVENTFD = 4, IORING_UNREGISTER_EVENTFD = 5;
    public static final long IORING_OFF_SQ_RING = 0L, IORING_OFF_CQ_RING = 0x8000000L, IORING_OFF_SQES = 0x10000000L;

    /** mmap(2) arguments. */
    public static final int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1, MAP_POPULATE = 0x8000;

    private IoUringLayout() {
    }
}
