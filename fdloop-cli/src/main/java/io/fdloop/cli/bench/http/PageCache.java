package io.fdloop.cli.bench.http;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Dropping the kernel's page cache so the cold case reads from the disk: {@code sync}, then
 * {@code echo 3 > /proc/sys/vm/drop_caches}, which needs root.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
final class PageCache {
    private static final Path DROP_CACHES = Path.of("/proc/sys/vm/drop_caches");

    private PageCache() {
    }

    /** Why the cold case cannot run with its corpus in {@code directory}, or null when it can. */
    static String cannotDropBecause(Path directory) {
        if (!Files.isWritable(DROP_CACHES)) {
            return "dropping the page cache (echo 3 > /proc/sys/vm/drop_caches) needs root";
        }
        try {
            String type = Files.getFileStore(directory).type();
            if (type.equals("tmpfs") || type.equals("ramfs")) {
                return directory + " is on " + type + ", which has no disk to be cold on: set java.io.tmpdir "
                        + "to a directory on a disk";
            }
        } catch (IOException e) {
            return "cannot tell the file system of " + directory + ": " + e.getMessage();
        }
        return null;
    }

    /** Writes dirty pages back, then drops clean pages, dentries and inodes. */
    static void drop() throws IOException, InterruptedException {
        Process sync = new ProcessBuilder("sync").inheritIO().start();
        if (sync.waitFor() != 0) {
            throw new IOException("sync failed with status " + sync.exitValue());
        }
        try {
            Files.writeString(DROP_CACHES, "3\n");
        } catch (AccessDeniedException e) {
            throw new IOException("dropping the page cache needs root: " + e.getMessage(), e);
        } catch (FileSystemException e) {
            throw new IOException("could not drop the page cache: " + e.getMessage(), e);
        }
    }
}
