package io.fdloop.internal.linux;

/**
 * {@code struct io_event} from {@code include/uapi/linux/aio_abi.h}:
 * <pre>
 *  0        8        16       24       32
 *  +--------+--------+--------+--------+
 *  |  data  |  obj   |  res   |  res2  |
 *  +--------+--------+--------+--------+
 * </pre>
 * {@code data} is the iocb's {@code aio_data}; {@code res} the result or {@code -errno}.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class IoEvent {
    public static final long SIZE = 32;
    public static final long DATA = 0, OBJ = 8, RES = 16, RES2 = 24;

    private IoEvent() {
    }
}
