package io.fdloop.internal.fs;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Objects;

/**
 * A path of {@link FdloopFileSystem}: the platform's own path, wrapped so that the file operations
 * made through it reach {@link FdloopFileSystemProvider}. Every method is the platform path's.
 *
 * <p><b>Immutable; thread-safe.</b>
 */
final class FdloopPath implements Path {
    private final FdloopFileSystem fileSystem;
    private final Path delegate;

    FdloopPath(FdloopFileSystem fileSystem, Path delegate) {
        this.fileSystem = fileSystem;
        this.delegate = Objects.requireNonNull(delegate);
    }

    /** The platform's path this one wraps. */
    Path delegate() {
        return delegate;
    }

    private Path wrap(Path path) {
        return fileSystem.wrap(path);
    }

    private Path unwrap(Path path) {
        Objects.requireNonNull(path);
        if (path instanceof FdloopPath other) {
            return other.delegate;
        }
        throw new ProviderMismatchException("not a path of fdloop's default file system: " + path);
    }

    @Override
    public FdloopFileSystem getFileSystem() {
        return fileSystem;
    }

    @Override
    public boolean isAbsolute() {
        return delegate.isAbsolute();
    }

    @Override
    public Path getRoot() {
        return wrap(delegate.getRoot());
    }

    @Override
    public Path getFileName() {
        return wrap(delegate.getFileName());
    }

    @Override
    public Path getParent() {
        return wrap(delegate.getParent());
    }

    @Override
    public int getNameCount() {
        return delegate.getNameCount();
    }

    @Override
    public Path getName(int index) {
        return wrap(delegate.getName(index));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        return wrap(delegate.subpath(beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        return other instanceof FdloopPath path && delegate.startsWith(path.delegate);
    }

    @Override
    public boolean startsWith(String other) {
        return delegate.startsWith(other);
    }

    @Override
    public boolean endsWith(Path other) {
        return other instanceof FdloopPath path && delegate.endsWith(path.delegate);
    }

    @Override
    public boolean endsWith(String other) {
        return delegate.endsWith(other);
    }

    @Override
    public Path normalize() {
        return wrap(delegate.normalize());
    }

    @Override
    public Path resolve(Path other) {
        return wrap(delegate.resolve(unwrap(other)));
    }

    @Override
    public Path resolve(String other) {
        return wrap(delegate.resolve(other));
    }

    @Override
    public Path resolveSibling(Path other) {
        return wrap(delegate.resolveSibling(unwrap(other)));
    }

    @Override
    public Path resolveSibling(String other) {
        return wrap(delegate.resolveSibling(other));
    }

    @Override
    public Path relativize(Path other) {
        return wrap(delegate.relativize(unwrap(other)));
    }

    @Override
    public URI toUri() {
        return delegate.toUri();
    }

    @Override
    public Path toAbsolutePath() {
        return wrap(delegate.toAbsolutePath());
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        return wrap(delegate.toRealPath(options));
    }

    /** As {@link Path#toFile()} does for the default file system (the wrapped path's is no longer the default). */
    @Override
    public File toFile() {
        return new File(delegate.toString());
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers)
            throws IOException {
        return delegate.register(watcher, events, modifiers);
    }

    @Override
    public int compareTo(Path other) {
        return delegate.compareTo(unwrap(other));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FdloopPath path && delegate.equals(path.delegate);
    }

    @Override
    public int hashCode() {
        return delegate.hashCode();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
