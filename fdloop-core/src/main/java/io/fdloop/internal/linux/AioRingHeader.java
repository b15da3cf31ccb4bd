package io.fdloop.internal.linux;

/**
 * The header of the AIO completion ring that {@code io_setup} maps into user memory; the
 * {@code aio_context_t} value is its address ({@code struct aio_ring} in {@code fs/aio.c}):
 * <pre>
 *  0     4     8      12     16      20               24                 28              32
 *  +-----+-----+------+------+-------+----------------+------------------+---------------+
 *  | id  | nr  | head | tail | magic |compat_features |incompat_features | header_length |
 *  +-----+-----+------+------+-------+----------------+------------------+---------------+
 *  header_length: io_event[nr] ...
 * </pre>
 * The kernel writes events at {@code tail} and publishes {@code tail}; a reaper consumes from
 * {@code head} and publishes {@code head}, which tells the kernel the slots are free again.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class AioRingHeader {
    public static final long ID = 0, NR = 4, HEAD = 8, TAIL = 12, MAGIC = 16, COMPAT_FEATURES = 20,
            INCOMPAT_FEATURES = 24, HEADER_LENGTH = 28, SIZE = 32;
    public static final int AIO_RING_MAGIC = 0xa10a10a1;

    private AioRingHeader() {
    }
}
