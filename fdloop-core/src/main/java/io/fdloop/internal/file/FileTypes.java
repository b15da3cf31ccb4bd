package io.fdloop.internal.file;

import io.fdloop.internal.linux.FileOpen.FileType;
import io.fdloop.internal.linux.Statx;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * Which kinds of file {@link AsyncFile} takes. Its job is regular files and block devices, whose
 * requests always finish; it also takes the memory devices that never wait ({@code /dev/null},
 * {@code /dev/zero}, {@code /dev/full}, {@code /dev/random}, {@code /dev/urandom}). Everything else
 * is refused at open: a FIFO or a terminal can keep a read waiting forever (on Linux AIO inside
 * {@code io_submit}, on the loop thread), and a directory has nothing to read.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
final class FileTypes {
    private static final int MEMORY_DEVICES_MAJOR = 1;
    private static final int NULL = 3, ZERO = 5, FULL = 7, RANDOM = 8, URANDOM = 9;

    private FileTypes() {
    }

    /** Why {@code type} cannot be opened as an AsyncFile, or null when it can. */
    static FileSystemException refusal(Path path, FileType type) {
        String why = switch (type.format()) {
            case Statx.S_IFREG, Statx.S_IFBLK -> null;
            case Statx.S_IFCHR -> isMemoryDevice(type) ? null
                    : "is a character device (" + type.deviceMajor() + ":" + type.deviceMinor()
                            + ") whose reads and writes may wait forever; register its fd with EventLoop.register instead";
            case Statx.S_IFDIR -> "is a directory";
            case Statx.S_IFIFO -> "is a FIFO, where a read may wait forever for a writer; register a pipe's fd "
                    + "with EventLoop.register instead";
            case Statx.S_IFSOCK -> "is a socket; use io.fdloop.net or EventLoop.register";
            default -> "is not a regular file (st_mode type 0" + Integer.toOctalString(type.format()) + ")";
        };
        return why == null ? null : new FileSystemException(path.toString(), null,
                why + " (AsyncFile opens regular files and block devices)");
    }

    private static boolean isMemoryDevice(FileType type) {
        return type.deviceMajor() == MEMORY_DEVICES_MAJOR && switch (type.deviceMinor()) {
            case NULL, ZERO, FULL, RANDOM, URANDOM -> true;
            default -> false;
        };
    }
}
