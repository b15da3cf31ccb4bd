package io.fdloop.internal.file;

import io.fdloop.file.DirectAlignment;
import io.fdloop.internal.linux.FileOpen;
import io.fdloop.internal.linux.Statx;
import io.fdloop.internal.linux.Syscalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What O_DIRECT requires of an open file: {@code statx(STATX_DIOALIGN)} (Linux 6.1+) when the file
 * system reports it, else the device's logical block size from sysfs, else 4096.
 *
 * <p><b>Stateless; thread-safe.</b> Blocks like statx(2).
 */
public final class DirectAlignments {
    private DirectAlignments() {
    }

    /** The alignment direct I/O on {@code fd} needs, and where it was learned. */
    public static DirectAlignment of(Syscalls syscalls, int fd) throws IOException {
        FileOpen.StatxFields stat = FileOpen.statx(syscalls, fd, Statx.STATX_DIOALIGN | Statx.STATX_TYPE);
        int logical = logicalBlockSize(stat);
        if ((stat.mask() & Statx.STATX_DIOALIGN) != 0 && stat.dioMemoryAlign() > 0 && stat.dioOffsetAlign() > 0) {
            return new DirectAlignment(stat.dioMemoryAlign(), stat.dioOffsetAlign(), logical, "statx(STATX_DIOALIGN)");
        }
        if (logical > 0) {
            return new DirectAlignment(logical, logical, logical, "logical block size");
        }
        return new DirectAlignment(4096, 4096, 0, "default (the file system reports no alignment)");
    }

    private static int logicalBlockSize(FileOpen.StatxFields stat) {
        boolean blockDevice = (stat.mode() & Statx.S_IFMT) == Statx.S_IFBLK; // then the device is the file itself
        int major = blockDevice ? stat.rdevMajor() : stat.deviceMajor();
        int minor = blockDevice ? stat.rdevMinor() : stat.deviceMinor();
        Path device = Path.of("/sys/dev/block/" + major + ":" + minor);
        for (Path queue : List.of(device.resolve("queue/logical_block_size"),
                device.resolve("../queue/logical_block_size"))) {
            try {
                return Integer.parseInt(Files.readString(queue).trim());
            } catch (IOException | NumberFormatException | SecurityException e) {
                // a partition keeps its queue in the parent device; try the next place
            }
        }
        return 0;
    }
}
