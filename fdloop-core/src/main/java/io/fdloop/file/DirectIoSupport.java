package io.fdloop.file;

import io.fdloop.internal.file.DirectAlignments;
import io.fdloop.internal.linux.Arch;
import io.fdloop.internal.linux.FileOpen;
import io.fdloop.internal.linux.Syscalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a file system takes direct I/O (O_DIRECT), and what alignment it needs: found by
 * opening a scratch file there with O_DIRECT and asking {@code statx(STATX_DIOALIGN)}.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param fileSystemType the file system's type, such as {@code ext4} or {@code tmpfs}
 * @param supported      whether O_DIRECT opens there
 * @param alignment      what direct I/O needs, or null when it is not supported
 * @param reason         why it is not supported (the kernel's answer), or null
 */
public record DirectIoSupport(String fileSystemType, boolean supported, DirectAlignment alignment, String reason) {

    /**
     * Probes the file system holding {@code path}: a directory (a scratch file is created in it and
     * removed) or an existing file (opened read-only). Any thread; blocks like open(2).
     *
     * @param path a directory or a file
     * @return what direct I/O needs there, or why it cannot be had
     * @throws IOException when the file system cannot be looked up
     */
    public static DirectIoSupport probe(Path path) throws IOException {
        String type = FileOpen.fileSystemType(path);
        boolean scratch = Files.isDirectory(path);
        Path file = path;
        if (scratch) {
            try {
                file = Files.createTempFile(path, ".fdloop-probe-", ".tmp");
            } catch (IOException e) {
                return new DirectIoSupport(type, false, null, "cannot create a file in " + path + " to probe: " + e);
            }
        }
        try {
            Syscalls syscalls = Syscalls.linux();
            int fd;
            try {
                fd = FileOpen.open(syscalls, file, Arch.O_RDONLY | Arch.current().oDirect());
            } catch (IOException refused) {
                return new DirectIoSupport(type, false, null, refused.getMessage());
            }
            try {
                return new DirectIoSupport(type, true, DirectAlignments.of(syscalls, fd), null);
            } finally {
                syscalls.close(fd);
            }
        } finally {
            if (scratch) {
                Files.deleteIfExists(file);
            }
        }
    }
}
