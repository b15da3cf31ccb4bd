package io.fdloop.internal.journal;


import io.fdloop.EventLoop;
import io.fdloop.file.AlignedBuffers;
import io.fdloop.file.AsyncFile;
import io.fdloop.file.FileOption;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Keeps the next segment ready before the journal needs it, on a thread of its own so the loop
 * never waits for a file system: takes a spare file (a recycled segment, whose blocks are already
 * written) or makes a new one (fallocate, then zeros written through with {@code O_DIRECT} and
 * fsync'd, so that no later write meets an unwritten extent whose conversion a sync would have
 * to commit), renames it to the next sequence's name, syncs the directory and opens it for the
 * committer. Also recycles the segments the user released: renamed to spares, up to a limit, and
 * deleted beyond it.
 *
 * <p><b>Thread-safe</b>: {@link #take}, {@link #recycle} and {@link #stop} from any thread; the
 * file work runs on the preparer's thread.
 */
public final class SegmentPreparer {
    private static final System.Logger LOG = System.getLogger("io.fdloop.journal");
    private static final int ZERO_CHUNK = 1 << 20;
    private static final int ZERO_WRITES_IN_FLIGHT = 4;

    private final EventLoop loop;
    private final SegmentDirectory directory;
    private final long segmentSize;
    private final Set<FileOption> writeOptions;
    private final int maxSpares;
    private final SecureRandom random = new SecureRandom();
    private final Thread thread;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Object lock = new Object();
    private final ArrayDeque<Path> spares = new ArrayDeque<>(); // preparer thread
    private final ArrayDeque<Path> toRecycle = new ArrayDeque<>(); // guarded by lock
    private long nextSequence; // guarded by lock
    private Segment ready; // guarded by lock
    private IOException failure; // guarded by lock: the last preparation failed
    private Runnable waiter; // guarded by lock: runs on the loop once a segment is ready (or failed)
    private boolean stopping; // guarded by lock

    public SegmentPreparer(EventLoop loop, SegmentDirectory directory, long segmentSize, Set<FileOption> writeOptions,
                    int maxSpares, long nextSequence, List<Path> existingSpares, String name) {
        this.loop = loop;
        this.directory = directory;
        this.segmentSize = segmentSize;
        this.writeOptions = EnumSet.copyOf(writeOptions);
        this.maxSpares = maxSpares;
        this.nextSequence = nextSequence;
        this.spares.addAll(existingSpares);
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    /** Prepares the first segment on the calling thread, before {@link #start()}; returns its file. */
    public AsyncFile prepareFirst() throws IOException {
        long sequence;
        synchronized (lock) {
            sequence = nextSequence;
        }
        Segment segment = prepare(sequence);
        synchronized (lock) {
            nextSequence = sequence + 1;
            ready = segment;
        }
        return segment.file;
    }

    /**
     * Makes sure at least {@code count} spare files are ready, zero-filling new ones on the calling
     * thread, before {@link #start()}: the first rolls then find written-through files.
     */
    public void preallocate(int count, long firstNumber) throws IOException {
        long number = firstNumber;
        while (spares.size() < count) {
            Path spare = directory.spare(number);
            Path preparing = directory.preparing(number);
            number++;
            if (Files.exists(spare)) {
                continue;
            }
            zeroFill(preparing);
            directory.rename(preparing, spare);
            spares.add(spare);
        }
        directory.sync();
    }

    /** Closes what an unstarted preparer holds (an open that failed). */
    public void discard() {
        Segment left;
        synchronized (lock) {
            left = ready;
            ready = null;
        }
        if (left != null) {
            left.file.close();
        }
    }

    /**
     * The prepared segment, or null when it is not ready yet: {@code onReady} then runs on the loop
     * thread once it is (or once preparing it failed). Any thread.
     *
     * @throws IOException when preparing it failed (the next call tries again)
     */
    public Segment take(Runnable onReady) throws IOException {
        synchronized (lock) {
            if (failure != null) {
                IOException e = failure;
                failure = null;
                lock.notifyAll();
                throw e;
            }
            Segment segment = ready;
            ready = null;
            if (segment == null) {
                waiter = onReady;
            }
            lock.notifyAll();
            return segment;
        }
    }

    /** Hands a released segment back: it becomes a spare, or is deleted when there are enough. Any thread. */
    public void recycle(Path segment) {
        synchronized (lock) {
            toRecycle.add(segment);
            lock.notifyAll();
        }
    }

    /** Stops the thread; the returned future completes once it has stopped and closed what it held. Any thread. */
    public CompletableFuture<Void> stop() {
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
        }
        return stopped;
    }

    private void run() {
        try {
            while (true) {
                Path recycle;
                long sequence;
                synchronized (lock) {
                    while (!stopping && toRecycle.isEmpty() && (ready != null || failure != null)) {
                        lock.wait();
                    }
                    recycle = toRecycle.poll();
                    if (stopping && recycle == null) {
                        return; // released segments are recycled before the preparer stops
                    }
                    sequence = nextSequence;
                }
                if (recycle != null) {
                    recycleNow(recycle);
                    continue;
                }
                synchronized (lock) {
                    if (stopping) {
                        return;
                    }
                }
                Segment segment = null;
                IOException problem = null;
                try {
                    segment = prepare(sequence);
                } catch (IOException e) {
                    problem = preparationFailed(sequence, e);
                } catch (CompletionException e) {
                    problem = preparationFailed(sequence, e.getCause());
                }
                Runnable notify;
                synchronized (lock) {
                    if (segment != null) {
                        nextSequence = sequence + 1;
                        ready = segment; // closed in the finally block below if the preparer is stopping
                    } else {
                        failure = problem;
                    }
                    notify = waiter;
                    waiter = null;
                }
                if (notify != null) {
                    try {
                        loop.execute(notify);
                    } catch (RejectedExecutionException e) {
                        // the loop is closing: the journal is being failed by its shutdown task
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "the journal's segment preparer in " + directory.path + " failed", e);
        } finally {
            Segment left;
            synchronized (lock) {
                left = ready;
                ready = null;
            }
            if (left != null) {
                left.file.closeAsync();
            }
            stopped.complete(null);
        }
    }

    private IOException preparationFailed(long sequence, Throwable cause) {
        String why = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return new IOException("cannot prepare journal segment " + sequence + " in " + directory.path + ": " + why, cause);
    }

    private Segment prepare(long sequence) throws IOException {
        Path target = directory.segment(sequence);
        Path spare = usableSpare();
        if (spare != null) {
            directory.rename(spare, target);
        } else {
            Path preparing = directory.preparing(sequence);
            zeroFill(preparing);
            directory.rename(preparing, target);
        }
        directory.sync();
        AsyncFile file = AsyncFile.open(loop, target, writeOptions);
        return new Segment(sequence, target, segmentSize, random.nextLong(), file, false);
    }

    /** A spare of the right size, or null; spares of another size (the setting changed) are deleted. */
    private Path usableSpare() throws IOException {
        Path spare;
        while ((spare = spares.poll()) != null) {
            if (Files.size(spare) == segmentSize) {
                return spare;
            }
            Files.deleteIfExists(spare);
        }
        return null;
    }

    private void zeroFill(Path path) throws IOException {
        // The file closes first (waiting for its writes), then the arena frees the zeros they read.
        try (Arena arena = Arena.ofShared();
             AsyncFile file = AsyncFile.open(loop, path, FileOption.WRITE, FileOption.CREATE, FileOption.TRUNCATE,
                     FileOption.DIRECT)) {
            file.allocate(0, segmentSize);
            int chunk = (int) Math.min(ZERO_CHUNK, segmentSize);
            MemorySegment zeros = AlignedBuffers.allocate(arena, chunk, AlignedBuffers.SAFE_ALIGNMENT);
            List<CompletableFuture<Integer>> writes = new ArrayList<>();
            for (long offset = 0; offset < segmentSize; offset += chunk) {
                if (writes.size() == ZERO_WRITES_IN_FLIGHT) {
                    writes.removeFirst().join();
                }
                writes.add(file.write(zeros.asSlice(0, Math.min(chunk, segmentSize - offset)), offset));
            }
            for (CompletableFuture<Integer> write : writes) {
                write.join();
            }
            file.fsync().join();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(path);
            throw e;
        }
    }

    private void recycleNow(Path segment) {
        try {
            String name = segment.getFileName().toString();
            long number = Long.parseLong(name.substring("segment-".length(), name.length() - ".log".length()));
            if (spares.size() < maxSpares) {
                Path spare = directory.spare(number);
                directory.rename(segment, spare);
                spares.add(spare);
            } else {
                Files.deleteIfExists(segment);
            }
            directory.sync();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot recycle journal segment " + segment + ": " + e.getMessage());
        }
    }
}
