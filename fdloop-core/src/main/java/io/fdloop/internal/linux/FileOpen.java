package io.fdloop.internal.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Opening files, asking statx about them, and the blocking calls made on an open file outside the
 * loop (size, identity, truncation, sync, preallocation).
 *
 * <p><b>Stateless; thread-safe.</b> Every call blocks in the kernel like the system call it makes.
 */
public final class FileOpen {
    /** The mode of a created file, as the JDK's: the umask takes the rest off. */
    public static final int DEFAULT_MODE = 0666;
    /** fcntl(2) commands, the same on every architecture ({@code asm-generic/fcntl.h}). */
    public static final int F_GETFL = 3, F_SETFL = 4;

    private FileOpen() {
    }

    /** Which file an fd refers to, however it was reached: its device and inode, as {@code stat(2)} gives them. */
    public record FileId(int deviceMajor, int deviceMinor, long inode) {
    }

    /**
     * What kind of file an fd refers to: {@code format} is {@code st_mode & S_IFMT}; for a device,
     * {@code deviceMajor}/{@code deviceMinor} are the device it stands for ({@code st_rdev}).
     */
    public record FileType(int format, int deviceMajor, int deviceMinor) {
    }

    /** The type of the file behind {@code fd}, from statx. */
    public static FileType type(Syscalls syscalls, int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment statx = statx(syscalls, arena, fd, Statx.STATX_TYPE);
            return new FileType(Short.toUnsignedInt(statx.get(JAVA_SHORT, Statx.MODE)) & Statx.S_IFMT,
                    statx.get(JAVA_INT, Statx.RDEV_MAJOR), statx.get(JAVA_INT, Statx.RDEV_MINOR));
        }
    }

    /** Clears O_NONBLOCK, which an fd was opened with so that opening a FIFO could not block. */
    public static void clearNonBlocking(Syscalls syscalls, int fd, Path path) throws IOException {
        int flags = syscalls.fcntlInt(fd, F_GETFL, 0);
        if (flags < 0) {
            throw Errors.ioException("fcntl(F_GETFL)", flags, path.toString());
        }
        int r = syscalls.fcntlInt(fd, F_SETFL, flags & ~Arch.O_NONBLOCK);
        if (r < 0) {
            throw Errors.ioException("fcntl(F_SETFL)", r, path.toString());
        }
    }

    /** open(2) with O_CLOEXEC; errors name the path and, for O_DIRECT refusals, the file system. */
    public static int open(Syscalls syscalls, Path path, int flags) throws IOException {
        return open(syscalls, path, flags, DEFAULT_MODE);
    }

    /** open(2) with O_CLOEXEC and {@code mode} for a file it creates (the umask takes the rest off). */
    public static int open(Syscalls syscalls, Path path, int flags, int mode) throws IOException {
        int r;
        try (Arena arena = Arena.ofConfined()) {
            r = syscalls.open(arena.allocateFrom(path.toString()), flags | Arch.O_CLOEXEC, mode);
        }
        if (r >= 0) {
            return r;
        }
        if (r == -Errno.EINVAL && (flags & Arch.current().oDirect()) != 0) {
            throw new IOException("cannot open " + path + " with O_DIRECT: the " + fileSystemType(path)
                    + " file system there does not support direct I/O (open: EINVAL); open it without DIRECT");
        }
        throw Errors.ioException("open", r, path.toString());
    }

    /** fallocate(2) with mode 0: allocates the range, extending the file. */
    public static void allocate(Syscalls syscalls, int fd, long position, long length, Path path) throws IOException {
        int r;
        do {
            r = syscalls.fallocate(fd, 0, position, length);
        } while (r == -Errno.EINTR);
        if (r < 0) {
            throw r == -Errno.EOPNOTSUPP
                    ? new IOException("the " + fileSystemType(path) + " file system of " + path
                            + " cannot preallocate (fallocate: EOPNOTSUPP)")
                    : Errors.ioException("fallocate", r, path.toString());
        }
    }

    /** ftruncate(2): sets the file's length, cutting it short or extending it with zeros. */
    public static void truncate(Syscalls syscalls, int fd, long length, Path path) throws IOException {
        int r;
        do {
            r = syscalls.ftruncate(fd, length);
        } while (r == -Errno.EINTR);
        if (r < 0) {
            throw Errors.ioException("ftruncate", r, path.toString());
        }
    }

    /** fsync(2) with {@code metadata}, else fdatasync(2), on the calling thread. */
    public static void sync(Syscalls syscalls, int fd, boolean metadata, Path path) throws IOException {
        int r;
        do {
            r = metadata ? syscalls.fsync(fd) : syscalls.fdatasync(fd);
        } while (r == -Errno.EINTR);
        if (r < 0) {
            throw Errors.ioException(metadata ? "fsync" : "fdatasync", r, path.toString());
        }
    }

    /** The device and inode of the file behind {@code fd}, from statx. */
    public static FileId id(Syscalls syscalls, int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment statx = statx(syscalls, arena, fd, Statx.STATX_INO);
            return new FileId(statx.get(JAVA_INT, Statx.DEV_MAJOR), statx.get(JAVA_INT, Statx.DEV_MINOR),
                    statx.get(JAVA_LONG, Statx.INO));
        }
    }

    /** The file's size in bytes, from statx. */
    public static long size(Syscalls syscalls, int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment statx = statx(syscalls, arena, fd, Statx.STATX_SIZE);
            return statx.get(JAVA_LONG, Statx.SIZE_FIELD);
        }
    }

    /**
     * The statx fields fdloop reads, for {@code fd}.
     *
     * @param mask            {@code stx_mask}: which fields the kernel filled in
     * @param mode            {@code stx_mode}
     * @param deviceMajor     the device the file is on
     * @param deviceMinor     the device the file is on
     * @param rdevMajor       for a device file, the device it stands for
     * @param rdevMinor       for a device file, the device it stands for
     * @param dioMemoryAlign  {@code stx_dio_mem_align} (0 when unknown)
     * @param dioOffsetAlign  {@code stx_dio_offset_align} (0 when unknown)
     */
    public record StatxFields(int mask, int mode, int deviceMajor, int deviceMinor, int rdevMajor, int rdevMinor,
                              int dioMemoryAlign, int dioOffsetAlign) {
    }

    /** statx(2) of {@code fd} for {@code mask} ({@link Statx#STATX_TYPE}, {@link Statx#STATX_DIOALIGN}...). */
    public static StatxFields statx(Syscalls syscalls, int fd, int mask) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment statx = statx(syscalls, arena, fd, mask);
            return new StatxFields(statx.get(JAVA_INT, Statx.MASK), Short.toUnsignedInt(statx.get(JAVA_SHORT, Statx.MODE)),
                    statx.get(JAVA_INT, Statx.DEV_MAJOR), statx.get(JAVA_INT, Statx.DEV_MINOR),
                    statx.get(JAVA_INT, Statx.RDEV_MAJOR), statx.get(JAVA_INT, Statx.RDEV_MINOR),
                    statx.get(JAVA_INT, Statx.DIO_MEM_ALIGN), statx.get(JAVA_INT, Statx.DIO_OFFSET_ALIGN));
        }
    }

    private static MemorySegment statx(Syscalls syscalls, Arena arena, int fd, int mask) throws IOException {
        MemorySegment statx = arena.allocate(Statx.SIZE, 8);
        int r = syscalls.statx(fd, arena.allocateFrom(""), Statx.AT_EMPTY_PATH, mask, statx);
        if (r < 0) {
            throw Errors.ioException("statx", r, "fd " + fd);
        }
        return statx;
    }

    /** The type of the file system holding {@code path} ("ext4", "tmpfs"), from /proc/self/mountinfo. */
    public static String fileSystemType(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        String best = "unknown";
        int bestLength = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] halves = line.split(" - ", 2);
                String[] fields = halves[0].split(" ");
                if (halves.length < 2 || fields.length < 5) {
                    continue;
                }
                String mountPoint = fields[4].replace("\\040", " ");
                if (absolute.startsWith(mountPoint) && mountPoint.length() >= bestLength) {
                    bestLength = mountPoint.length();
                    best = halves[1].split(" ")[0];
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
        return best;
    }
}
