package io.fdloop.internal.http.files;

import io.fdloop.EventLoop;
import io.fdloop.NativeIOException;
import io.fdloop.file.AsyncFile;
import io.fdloop.file.FileOption;
import io.fdloop.http.ServerOptions;
import io.fdloop.internal.http.request.RequestPath;
import io.fdloop.internal.http.response.HttpDates;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The blocking half of serving a request: what a request path names under the root, with the files it
 * needs already open. It realpaths, stats, opens and reads directories, so it runs on a lookup thread,
 * never on a loop (see {@link FileLookups}).
 *
 * <p><b>Thread-safe</b>: immutable configuration; any thread may resolve.
 *
 * <p>Confinement: the root is resolved to its real path once; every candidate is resolved to its real
 * path (symlinks followed) and served only if that lies inside the root, so a symlink leaving the root
 * answers 404 like a missing file. The file opened is the real path, and it is stat-ed before and after
 * the open: a file replaced in between (a different inode, size or modification time) is opened again.
 * Dotfiles, when hidden, are refused whether the request names them or a symlink leads to one. Only
 * regular files and directories are served; a FIFO or device answers 404 without being opened.
 */
public final class FileResolver {
    /** The most entries a directory listing shows. */
    public static final int MAX_LISTED = 10_000;
    private static final String INDEX = "index.html";
    private static final String ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime,isRegularFile,isDirectory";
    private static final System.Logger LOG = System.getLogger(FileResolver.class.getName());

    private final Path root;
    private final boolean hideDotfiles;
    private final boolean listing;
    private final long directIoThreshold;
    private final MimeTypes types;
    private volatile boolean directFallbackLogged;

    /**
     * @throws IOException when the root does not exist or is not a directory (the message names it)
     */
    public FileResolver(ServerOptions options, MimeTypes types) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("unix")) {
            throw new IOException("the default file system has no \"unix\" attribute view (inode numbers): "
                    + "fdloop-http serves from Linux file systems only");
        }
        Path real;
        try {
            real = options.root().toRealPath();
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(options.root().toString(), null, "the root to serve does not exist");
        }
        if (!Files.isDirectory(real)) {
            throw new NotDirectoryException(options.root() + " (the root to serve must be a directory)");
        }
        this.root = real;
        this.hideDotfiles = options.dotfiles() == ServerOptions.Dotfiles.HIDDEN;
        this.listing = options.listing();
        this.directIoThreshold = options.directIoThreshold();
        this.types = types;
    }

    /** The root's real path. */
    public Path root() {
        return root;
    }

    /**
     * What {@code path} names, its files opened on {@code loop} (the returned resolution holds one
     * reference to them, the caller's). Any thread; blocks on the filesystem.
     */
    public Resolution resolve(RequestPath path, EventLoop loop) {
        if (hideDotfiles && path.hasDotSegment()) {
            return new Resolution.Refused(404, "dotfile");
        }
        Path candidate;
        try {
            candidate = root;
            for (String segment : path.segments()) {
                candidate = candidate.resolve(segment);
            }
        } catch (InvalidPathException e) {
            return new Resolution.Refused(404, "not a file name here: " + e.getReason());
        }
        try {
            Located located = locate(candidate);
            if (located.refused != null) {
                return located.refused;
            }
            if (located.state.directory) {
                return directory(path, candidate, located.real, loop);
            }
            if (path.trailingSlash()) {
                return new Resolution.Refused(404, "a file asked for as a directory");
            }
            return found(candidate, located, loop);
        } catch (IOException e) {
            return refusal(e);
        }
    }

    private Resolution directory(RequestPath path, Path candidate, Path real, EventLoop loop) throws IOException {
        if (!path.trailingSlash()) {
            return new Resolution.Redirect(path.withTrailingSlash());
        }
        Path indexCandidate = candidate.resolve(INDEX);
        Located index = locate(indexCandidate);
        if (index.refused == null && index.state.regular) {
            return found(indexCandidate, index, loop);
        }
        if (index.refused != null && index.refused.status() != 404) {
            return index.refused;
        }
        if (!listing) {
            return new Resolution.Refused(403, "directory without " + INDEX + ", listing off");
        }
        return list(path, real);
    }

    private Resolution found(Path candidate, Located located, EventLoop loop) throws IOException {
        String name = candidate.getFileName() == null ? INDEX : candidate.getFileName().toString();
        Representation identity = open(located.real, located.state, ContentCoding.IDENTITY, loop);
        Map<ContentCoding, Representation> encoded = new EnumMap<>(ContentCoding.class);
        try {
            for (ContentCoding coding : new ContentCoding[] {ContentCoding.BR, ContentCoding.GZIP}) {
                Representation sibling = sibling(candidate, name, coding, loop);
                if (sibling != null) {
                    encoded.put(coding, sibling);
                }
            }
        } catch (RuntimeException e) {
            identity.file().file().close();
            encoded.values().forEach(r -> r.file().file().close());
            throw e;
        }
        return new Resolution.Found(new StaticFile(types.contentType(name), identity, encoded));
    }

    /** {@code name.br} or {@code name.gz} beside the file, if it is a regular file inside the root; else null. */
    private Representation sibling(Path candidate, String name, ContentCoding coding, EventLoop loop) {
        try {
            Located located = locate(candidate.resolveSibling(name + coding.suffix()));
            if (located.refused != null || !located.state.regular) {
                return null;
            }
            return open(located.real, located.state, coding, loop);
        } catch (IOException | InvalidPathException e) {
            return null; // a sibling that cannot be served is no sibling: the identity form still is
        }
    }

    /** A candidate's real path and state, or why it is refused. */
    private record Located(Path real, FileState state, Resolution.Refused refused) {
    }

    private Located locate(Path candidate) throws IOException {
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (IOException e) {
            return new Located(null, null, refusal(e));
        }
        if (!real.startsWith(root)) {
            return new Located(null, null, new Resolution.Refused(404, "resolves outside the root"));
        }
        if (hideDotfiles && hasDotName(root.relativize(real))) {
            return new Located(null, null, new Resolution.Refused(404, "resolves to a dotfile"));
        }
        FileState state = FileState.of(real);
        if (!state.regular && !state.directory) {
            return new Located(null, null, new Resolution.Refused(404, "not a regular file"));
        }
        return new Located(real, state, null);
    }

    private static boolean hasDotName(Path relative) {
        for (Path name : relative) {
            String s = name.toString();
            if (!s.isEmpty() && s.charAt(0) == '.') {
                return true;
            }
        }
        return false;
    }

    /** Opens {@code real} and checks that what was opened is the file stat-ed before. */
    private Representation open(Path real, FileState before, ContentCoding coding, EventLoop loop) throws IOException {
        FileState expected = before;
        for (int attempt = 0; attempt < 3; attempt++) {
            AsyncFile file = openFile(real, directIoThreshold > 0 && expected.size >= directIoThreshold, loop);
            FileState after;
            long size;
            try {
                after = FileState.of(real);
                size = file.size();
            } catch (IOException | RuntimeException e) {
                file.close();
                throw e;
            }
            if (after.sameContentAs(expected) && size == expected.size) {
                long seconds = Math.floorDiv(after.modifiedNanos, 1_000_000_000L);
                return new Representation(coding, new OpenFile(file), size, seconds,
                        Representation.etag(after.modifiedNanos, size, after.inode, coding), HttpDates.format(seconds));
            }
            file.close();
            if (!after.regular) {
                return failedOpen(real);
            }
            expected = after;
        }
        return failedOpen(real);
    }

    private static Representation failedOpen(Path real) throws IOException {
        throw new IOException(real + " kept changing while it was being opened");
    }

    private AsyncFile openFile(Path real, boolean direct, EventLoop loop) throws IOException {
        if (direct) {
            try {
                return AsyncFile.open(loop, real, FileOption.READ, FileOption.DIRECT);
            } catch (NoSuchFileException | AccessDeniedException | ClosedChannelException e) {
                throw e;
            } catch (IOException e) {
                if (!directFallbackLogged) {
                    directFallbackLogged = true;
                    LOG.log(System.Logger.Level.WARNING, "direct I/O refused, large files are read buffered: {0}",
                            e.getMessage());
                }
            }
        }
        return AsyncFile.open(loop, real, FileOption.READ);
    }

    private Resolution list(RequestPath path, Path real) throws IOException {
        List<DirectoryListing.Entry> entries = new ArrayList<>();
        boolean truncated = false;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(real)) {
            for (Path entry : stream) {
                String name = entry.getFileName().toString();
                if (hideDotfiles && name.startsWith(".")) {
                    continue;
                }
                Located located;
                try {
                    located = locate(entry);
                } catch (IOException e) {
                    continue; // vanished or unreadable while listed
                }
                if (located.refused != null) {
                    continue; // outside the root, hidden, or not a file nor a directory
                }
                if (entries.size() == MAX_LISTED) {
                    truncated = true;
                    break;
                }
                FileState s = located.state;
                entries.add(new DirectoryListing.Entry(name, s.directory, s.size,
                        Math.floorDiv(s.modifiedNanos, 1_000_000_000L)));
            }
        }
        return new Resolution.Listing(DirectoryListing.render(path.path(), entries, truncated));
    }

    /** The status for a failed filesystem call: 404 for what does not exist (however it fails), 403, or 500. */
    static Resolution.Refused refusal(IOException e) {
        if (e instanceof NoSuchFileException || e instanceof NotDirectoryException) {
            return new Resolution.Refused(404, "no such file");
        }
        if (e instanceof AccessDeniedException) {
            return new Resolution.Refused(403, "permission denied");
        }
        if (e instanceof ClosedChannelException) {
            return new Resolution.Refused(503, "the loop is closing");
        }
        if (e instanceof NativeIOException n) {
            return switch (n.errorName()) {
                case "ENOTDIR", "ELOOP", "ENAMETOOLONG", "EISDIR", "ENXIO" -> new Resolution.Refused(404, n.errorName());
                case "EACCES", "EPERM" -> new Resolution.Refused(403, n.errorName());
                case "EMFILE", "ENFILE", "ENOMEM" -> new Resolution.Refused(503, n.errorName());
                default -> new Resolution.Refused(500, n.getMessage());
            };
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            String reason = f.getReason();
            if (reason.contains("Not a directory") || reason.contains("Too many levels of symbolic links")
                    || reason.contains("File name too long")) {
                return new Resolution.Refused(404, reason);
            }
            if (reason.contains("Too many open files")) {
                return new Resolution.Refused(503, reason);
            }
        }
        return new Resolution.Refused(500, String.valueOf(e.getMessage()));
    }

    /** What {@code stat} says of a path (its last component not followed). */
    private record FileState(long device, long inode, long size, long modifiedNanos, boolean regular, boolean directory) {
        static FileState of(Path path) throws IOException {
            Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            return new FileState(((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue(),
                    ((Number) a.get("size")).longValue(), ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
                    (Boolean) a.get("isRegularFile"), (Boolean) a.get("isDirectory"));
        }

        boolean sameContentAs(FileState other) {
            return device == other.device && inode == other.inode && size == other.size
                    && modifiedNanos == other.modifiedNanos && regular == other.regular;
        }
    }
}
