package io.fdloop.internal.linux;

/**
 * The fields fdloop reads from {@code struct statx} ({@code include/uapi/linux/stat.h}, 256 bytes):
 * <pre>
 *  0         4             ...  28         ...  32       40         ...  136        140         ...  152            156
 *  +---------+------------+     +---------+     +--------+---------+     +----------+----------+     +--------------+-----------------+
 *  | stx_mask|stx_blksize |     | stx_mode|     |stx_ino | stx_size|     |dev_major |dev_minor |     |dio_mem_align | dio_offset_align|
 *  +---------+------------+     +---------+     +--------+---------+     +----------+----------+     +--------------+-----------------+
 * </pre>
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class Statx {
    public static final long SIZE = 256;
    public static final long MASK = 0, BLKSIZE = 4, MODE = 28, INO = 32, SIZE_FIELD = 40, RDEV_MAJOR = 128, RDEV_MINOR = 132, DEV_MAJOR = 136, DEV_MINOR = 140,
            DIO_MEM_ALIGN = 152, DIO_OFFSET_ALIGN = 156;
    public static final int STATX_TYPE = 0x1, STATX_INO = 0x100, STATX_SIZE = 0x200, STATX_DIOALIGN = 0x2000;
    public static final int AT_FDCWD = -100, AT_EMPTY_PATH = 0x1000;
    public static final int S_IFMT = 0xf000, S_IFREG = 0x8000, S_IFBLK = 0x6000, S_IFCHR = 0x2000, S_IFDIR = 0x4000,
            S_IFIFO = 0x1000, S_IFSOCK = 0xc000, S_IFLNK = 0xa000;

    private Statx() {
    }
}
