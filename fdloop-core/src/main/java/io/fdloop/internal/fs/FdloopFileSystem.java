package io.fdloop.internal.fs;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The platform's default file system, seen through fdloop's {@code FdloopFileSystemProvider}: its
 * paths are {@link FdloopPath}s, so that operations on them reach that provider. Everything is the
 * platform file system's.
 *
 * <p><b>Thread-safe.</b>
 */
public final class FdloopFileSystem extends FileSystem {
    /** The platform provider an installed fdloop provider wraps, once there is one. */
    private static volatile FileSystemProvider platform;

    private final FileSystemProvider provider;
    private final FileSystem delegate;

    /**
     * The platform's default file system {@code delegate}, seen through {@code provider}, which wraps
     * {@code platformProvider}.
     */
    public FdloopFileSystem(FileSystemProvider provider, FileSystem delegate, FileSystemProvider platformProvider) {
        this.provider = provider;
        this.delegate = delegate;
        platform = platformProvider;
    }

    /** {@code path} wrapped, or null for null. */
    public Path wrap(Path path) {
        return path == null ? null : new FdloopPath(this, path);
    }

    /**
     * The platform's path behind {@code path}.
     *
     * @throws ProviderMismatchException when {@code path} is not one of this file system's
     */
    public static Path unwrap(Path path) {
        Objects.requireNonNull(path, "path");
        if (path instanceof FdloopPath wrapped) {
            return wrapped.delegate();
        }
        throw new ProviderMismatchException("not a path of fdloop's default file system: " + path);
    }

    /** Whether {@code path} belongs to the platform provider that an installed fdloop provider wraps. */
    static boolean isPlatformDefault(Path path) {
        FileSystemProvider wrapped = platform;
        return wrapped != null && path.getFileSystem().provider() == wrapped;
    }

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public boolean isReadOnly() {
        return delegate.isReadOnly();
    }

    @Override
    public String getSeparator() {
        return delegate.getSeparator();
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        List<Path> roots = new ArrayList<>();
        for (Path root : delegate.getRootDirectories()) {
            roots.add(wrap(root));
        }
        return roots;
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return delegate.getFileStores();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return delegate.supportedFileAttributeViews();
    }

    @Override
    public Path getPath(String first, String... more) {
        return wrap(delegate.getPath(first, more));
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher matcher = delegate.getPathMatcher(syntaxAndPattern);
        return path -> matcher.matches(path instanceof FdloopPath wrapped ? wrapped.delegate() : path);
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return delegate.getUserPrincipalLookupService();
    }

    @Override
    public WatchService newWatchService() throws IOException {
        return delegate.newWatchService();
    }
}
