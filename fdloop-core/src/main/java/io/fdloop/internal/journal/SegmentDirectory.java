package io.fdloop.internal.journal;


import io.fdloop.EventLoop;
import io.fdloop.file.FdloopFileChannel;

import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of one journal directory and the blocking calls on them: names, listing, renames,
 * directory syncs and the lock that keeps a second journal out.
 *
 * <pre>
 *  journal.lock                    held (an OFD lock) while a journal has the directory open
 *  segment-00000000000000000007.log   a segment, by sequence number
 *  spare-00000000000000000003.log     a written-through file waiting to become a segment again
 *  prepare-00000000000000000008.tmp   a new segment being zero-filled (removed at open)
 *  segment-...log.discarded-TIME      a segment after torn or corrupt data, kept for inspection
 * </pre>
 *
 * <p><b>Thread-safe</b> (stateless apart from the path); every method blocks like the calls it makes.
 */
public final class SegmentDirectory {
    private static final Pattern SEGMENT = Pattern.compile("segment-(\\d{20})\\.log");
    private static final Pattern SPARE = Pattern.compile("spare-(\\d{20})\\.log");
    private static final Pattern PREPARING = Pattern.compile("prepare-(\\d{20})\\.tmp");
    public static final String LOCK_FILE = "journal.lock";

    public final Path path;

    public SegmentDirectory(Path path) {
        this.path = path;
    }

    public Path segment(long sequence) {
        return path.resolve(String.format("segment-%020d.log", sequence));
    }

    public Path spare(long number) {
        return path.resolve(String.format("spare-%020d.log", number));
    }

    public Path preparing(long sequence) {
        return path.resolve(String.format("prepare-%020d.tmp", sequence));
    }

    /** Creates the directory if needed and checks that a journal can live there. */
    public static SegmentDirectory create(Path path) throws IOException {
        try {
            Files.createDirectories(path);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(path + " is not a directory: a journal needs a directory of its own", e);
        } catch (FileSystemException e) {
            throw new AccessDeniedException(path.toString(), null, "cannot create the journal directory ("
                    + e.getReason() + "): a journal needs a directory it can create files in");
        }
        if (!Files.isDirectory(path)) {
            throw new IOException(path + " is not a directory: a journal needs a directory of its own");
        }
        if (!Files.isWritable(path)) {
            throw new AccessDeniedException(path.toString(), null,
                    "the journal directory is not writable: the journal creates, renames and deletes segment files there");
        }
        return new SegmentDirectory(path);
    }

    /**
     * Takes the directory's lock on {@code loop}: an OFD lock on {@code journal.lock}, which the
     * kernel drops when the process dies. The returned channel holds it until closed.
     *
     * @throws IOException when another journal, in this process or another, has the directory open
     */
    public AsynchronousFileChannel lock(EventLoop loop) throws IOException {
        Path lockFile = path.resolve(LOCK_FILE);
        AsynchronousFileChannel channel;
        try {
            channel = FdloopFileChannel.open(loop, lockFile, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE));
        } catch (IOException e) {
            throw new AccessDeniedException(lockFile.toString(), null, "cannot create the journal's lock file ("
                    + e.getMessage() + "): the journal directory must be writable");
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new IOException("the journal in " + path + " is already open in this process: close it first "
                    + "(one journal per directory)");
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("the journal in " + path + " is already open in another process (" + lockFile
                    + " is locked): one journal per directory");
        }
        return channel;
    }

    /** The segments by sequence number. */
    public TreeMap<Long, Path> segments() throws IOException {
        return numbered(SEGMENT);
    }

    /** The spare files by number. */
    public TreeMap<Long, Path> spares() throws IOException {
        return numbered(SPARE);
    }

    /** Removes half-prepared segments left by a crash. */
    public void removeLeftovers() throws IOException {
        for (Path leftover : numbered(PREPARING).values()) {
            Files.deleteIfExists(leftover);
        }
    }

    /** Renames {@code from} to {@code to}, atomically, replacing nothing. */
    public void rename(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Moves a segment out of the journal's way, keeping its bytes; returns its new name. */
    public Path discard(Path segment) throws IOException {
        Path target = segment.resolveSibling(segment.getFileName() + ".discarded-" + System.currentTimeMillis());
        rename(segment, target);
        return target;
    }

    /** fsync(2) on the directory, so renames and new names survive a crash. */
    public void sync() throws IOException {
        try (FileChannel directory = FileChannel.open(path, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    private TreeMap<Long, Path> numbered(Pattern pattern) throws IOException {
        TreeMap<Long, Path> found = new TreeMap<>();
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
            stream.forEach(entries::add);
        }
        for (Path entry : entries) {
            Matcher m = pattern.matcher(entry.getFileName().toString());
            if (m.matches()) {
                found.put(Long.parseLong(m.group(1)), entry);
            }
        }
        return found;
    }
}
