package io.fdloop.internal.fs;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;

/**
 * fdloop opens files of the platform's own file system only: a path of another provider (a zip
 * file system, an in-memory one) names no file the kernel can open, and opening the default file
 * system's file of the same name instead would be a silent error.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class DefaultPaths {
    private DefaultPaths() {
    }

    /**
     * {@code path} as a path of the platform's default file system (unwrapped when fdloop's own
     * provider is installed as the default one).
     *
     * @throws ProviderMismatchException for a path of any other file system
     */
    public static Path toPlatform(Path path) {
        if (path instanceof FdloopPath wrapped) {
            return wrapped.delegate();
        }
        if (path.getFileSystem() == FileSystems.getDefault() || FdloopFileSystem.isPlatformDefault(path)) {
            return path;
        }
        throw new ProviderMismatchException("fdloop opens files of the default file system only; " + path
                + " belongs to " + path.getFileSystem().provider().getClass().getName()
                + " (scheme " + path.getFileSystem().provider().getScheme() + ")");
    }
}
