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

    /** How many entries of a directory that cannot take a scratch file are looked at for an existing file. */
    private static final int MOST_ENTRIES_SEARCHED = 2000;

    /**
     * Probes the file system holding {@code path}: a directory (a scratch file is created in it and
     * removed; when the directory is not writable, an existing regular file under it on the same
     * file system is opened read-only instead) or an existing file (opened read-only). Any thread;
     * blocks like open(2).
     *
     * @param path a directory or a file
     * @return what direct I/O needs there, or why it cannot be had
     * @throws IOException when the file system cannot be looked up
     */
    public static DirectIoSupport probe(Path path) throws IOException {
        String type = FileOpen.fileSystemType(path);
        if (!Files.isDirectory(path)) {
            return probeFile(type, path);
        }
        Path scratch;
        try {
            scratch = Files.createTempFile(path, ".fdloop-probe-", ".tmp");
        } catch (IOException notWritable) {
            Path existing = existingFileUnder(path);
            if (existing == null) {
                String why = notWritable instanceof java.nio.file.AccessDeniedException ? "permission denied"
                        : notWritable.getMessage();
                return new DirectIoSupport(type, false, null, "not probed: " + path + " takes no scratch file (" + why
                        + ") and holds no readable regular file to open with O_DIRECT; name a file or a writable directory there");
            }
            return probeFile(type, existing);
        }
        try {
            return probeFile(type, scratch);
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    private static DirectIoSupport probeFile(String type, Path file) {
        Syscalls syscalls = Syscalls.linux();
        int fd;
        try {
            fd = FileOpen.open(syscalls, file, Arch.O_RDONLY | Arch.current().oDirect());
        } catch (IOException refused) {
            return new DirectIoSupport(type, false, null, refused.getMessage());
        }
        try {
            return new DirectIoSupport(type, true, DirectAlignments.of(syscalls, fd), null);
        } catch (IOException e) {
            return new DirectIoSupport(type, false, null, e.getMessage());
        } finally {
            syscalls.close(fd);
        }
    }

    /** A readable regular file under {@code dir} on the same file system, or null. */
    private static Path existingFileUnder(Path dir) {
        Path[] found = new Path[1];
        try {
            Object store = Files.getFileStore(dir);
            int[] visited = new int[1];
            Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && Files.isReadable(file) && sameStore(file, store)) {
                        found[0] = file;
                        return java.nio.file.FileVisitResult.TERMINATE;
                    }
                    return ++visited[0] < MOST_ENTRIES_SEARCHED ? java.nio.file.FileVisitResult.CONTINUE
                            : java.nio.file.FileVisitResult.TERMINATE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                    return java.nio.file.FileVisitResult.CONTINUE; // unreadable: look elsewhere
                }
            });
        } catch (IOException | SecurityException e) {
            return found[0];
        }
        return found[0];
    }

    private static boolean sameStore(Path file, Object store) {
        try {
            return Files.getFileStore(file).equals(store);
        } catch (IOException e) {
            return false;
        }
    }
}
