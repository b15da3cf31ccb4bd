package io.fdloop.file;

import io.fdloop.internal.fs.FdloopFileSystem;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * <b>Thread-safe.</b> The platform's default file system provider with one change: its
 * {@code newAsynchronousFileChannel} returns fdloop's {@link AsynchronousFileChannel}
 * ({@link FdloopFileChannel}), whose I/O is truly asynchronous (io_uring or Linux AIO) instead of
 * a thread pool doing blocking reads and writes. Everything else is the platform provider's,
 * unchanged.
 *
 * <p>It gives an unmodified application fdloop's channels with no code change: run it with fdloop
 * on the class path and
 * <pre>{@code
 * java -Djava.nio.file.spi.DefaultFileSystemProvider=io.fdloop.file.FdloopFileSystemProvider \
 *      --enable-native-access=ALL-UNNAMED -cp app.jar:fdloop-core.jar Main
 * }</pre>
 * The JDK then makes this provider the default one, passing it the platform's provider to wrap
 * ({@link #FdloopFileSystemProvider(FileSystemProvider)}); {@code Path.of}, {@code File.toPath} and
 * {@code FileSystems.getDefault()} give paths of a file system that wraps the platform's, and
 * {@code AsynchronousFileChannel.open(path, ...)} reaches fdloop. The channels' differences from
 * the JDK's are those of {@link FdloopFileChannel}.
 */
public final class FdloopFileSystemProvider extends FileSystemProvider {
    private final FileSystemProvider delegate;
    private final FdloopFileSystem fileSystem;

    /**
     * Wraps {@code delegate}, the platform's default provider: the constructor the JDK calls for
     * {@code -Djava.nio.file.spi.DefaultFileSystemProvider}.
     *
     * @param delegate the platform's default provider, whose scheme is {@code file}
     */
    public FdloopFileSystemProvider(FileSystemProvider delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (!"file".equals(delegate.getScheme())) {
            throw new IllegalArgumentException("fdloop wraps the platform's \"file\" provider, not " + delegate);
        }
        this.fileSystem = new FdloopFileSystem(this, delegate.getFileSystem(URI.create("file:///")), delegate);
    }

    private static Path unwrap(Path path) {
        return FdloopFileSystem.unwrap(path);
    }

    private Path wrap(Path path) {
        return fileSystem.wrap(path);
    }

    @Override
    public String getScheme() {
        return delegate.getScheme();
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) throws IOException {
        delegate.newFileSystem(uri, env);
        return fileSystem;
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        delegate.getFileSystem(uri); // its checks of the URI
        return fileSystem;
    }

    @Override
    public Path getPath(URI uri) {
        return wrap(delegate.getPath(uri));
    }

    @Override
    public AsynchronousFileChannel newAsynchronousFileChannel(Path path, Set<? extends OpenOption> options,
                                                              ExecutorService executor, FileAttribute<?>... attrs)
            throws IOException {
        return FdloopFileChannel.open(unwrap(path), options, executor, attrs);
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        return delegate.newByteChannel(unwrap(path), options, attrs);
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        return delegate.newFileChannel(unwrap(path), options, attrs);
    }

    @Override
    public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
        return delegate.newInputStream(unwrap(path), options);
    }

    @Override
    public OutputStream newOutputStream(Path path, OpenOption... options) throws IOException {
        return delegate.newOutputStream(unwrap(path), options);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        DirectoryStream<Path> stream = delegate.newDirectoryStream(unwrap(dir),
                filter == null ? null : entry -> filter.accept(wrap(entry)));
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                Iterator<Path> entries = stream.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return entries.hasNext();
                    }

                    @Override
                    public Path next() {
                        return wrap(entries.next());
                    }
                };
            }

            @Override
            public void close() throws IOException {
                stream.close();
            }
        };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        delegate.createDirectory(unwrap(dir), attrs);
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        delegate.createSymbolicLink(unwrap(link), unwrap(target), attrs);
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        delegate.createLink(unwrap(link), unwrap(existing));
    }

    @Override
    public void delete(Path path) throws IOException {
        delegate.delete(unwrap(path));
    }

    @Override
    public boolean deleteIfExists(Path path) throws IOException {
        return delegate.deleteIfExists(unwrap(path));
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        return wrap(delegate.readSymbolicLink(unwrap(link)));
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        delegate.copy(unwrap(source), unwrap(target), options);
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        delegate.move(unwrap(source), unwrap(target), options);
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        return delegate.isSameFile(unwrap(path), unwrap(path2));
    }

    @Override
    public boolean isHidden(Path path) throws IOException {
        return delegate.isHidden(unwrap(path));
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        return delegate.getFileStore(unwrap(path));
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        delegate.checkAccess(unwrap(path), modes);
    }

    @Override
    public boolean exists(Path path, LinkOption... options) {
        return delegate.exists(unwrap(path), options);
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        return delegate.getFileAttributeView(unwrap(path), type, options);
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        return delegate.readAttributes(unwrap(path), type, options);
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributesIfExists(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        return delegate.readAttributesIfExists(unwrap(path), type, options);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        return delegate.readAttributes(unwrap(path), attributes, options);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        delegate.setAttribute(unwrap(path), attribute, value, options);
    }
}
