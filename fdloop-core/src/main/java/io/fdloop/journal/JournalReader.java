package io.fdloop.journal;

import io.fdloop.internal.journal.Positions;
import io.fdloop.internal.journal.Recovery;
import io.fdloop.internal.journal.SegmentDirectory;
import io.fdloop.internal.journal.SegmentScanner;

import io.fdloop.EventLoop;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.LongSupplier;

/**
 * Replays a journal's durable records in order, from a position on. It reads the segment files
 * (with {@code O_DIRECT}, through the journal's loop) and checks every record as recovery does;
 * it never returns a record that is not yet durable. At the durable end {@link #next()} returns
 * null, and returns more once more is durable: a reader can follow a live journal.
 *
 * <pre>{@code
 * try (JournalReader reader = journal.reader(checkpoint)) {
 *     for (JournalRecord record; (record = reader.next()) != null; ) {
 *         apply(record.position(), record.payload());
 *     }
 * }
 * }</pre>
 *
 * <p><b>Not thread-safe</b>: one thread at a time, never the loop's (reads are waited for).
 * Releasing positions the reader has not passed yet makes it fail.
 */
public final class JournalReader implements AutoCloseable {
    private final EventLoop loop;
    private final SegmentDirectory directory;
    private final NavigableMap<Long, Path> segments;
    private final LongSupplier durableEnd;
    private final long from;
    private SegmentScanner scanner;
    private long sequence;
    private boolean closed;
    private boolean reread;

    JournalReader(EventLoop loop, SegmentDirectory directory, NavigableMap<Long, Path> segments, LongSupplier durableEnd,
                  long from) {
        this.loop = loop;
        this.directory = directory;
        this.segments = segments;
        this.durableEnd = durableEnd;
        this.from = from;
        this.sequence = Positions.sequence(from);
    }

    /**
     * The next durable record, or null when there is none yet. Not on the loop thread.
     *
     * @return the record, or null
     * @throws IOException when a durable record cannot be read or is corrupt (the message says
     *                     where), or its segment was released
     */
    public JournalRecord next() throws IOException {
        if (closed) {
            throw new IllegalStateException("the journal reader is closed");
        }
        if (loop.inLoop()) {
            throw new IllegalStateException("a journal reader waits for its reads: use it on another thread than the loop's");
        }
        while (true) {
            long end = durableEnd.getAsLong();
            if (scanner == null && !openNext(end)) {
                return null;
            }
            long resumeAt = scanner.offset();
            int chain = scanner.chain();
            RecoveryStop.Reason stop = scanner.next();
            if (stop == null) {
                reread = false;
                long position = Positions.of(sequence, scanner.recordOffset());
                if (position >= end) {
                    scanner.rewind(resumeAt, chain); // not durable yet: read it again later
                    return null;
                }
                if (position < from) {
                    continue;
                }
                return new JournalRecord(position, scanner.copyPayload());
            }
            long stoppedAt = Positions.of(sequence, resumeAt);
            if (!reread && (stoppedAt < end || Positions.sequence(end) > sequence)) {
                // The window may hold bytes read before they were written: read them again once.
                scanner.rewind(resumeAt, chain);
                reread = true;
                continue;
            }
            reread = false;
            if (stoppedAt < end && Positions.sequence(end) == sequence) {
                throw new IOException("the journal record at " + Positions.describe(stoppedAt) + " in " + scanner.path()
                        + " is durable but unreadable: " + scanner.stopDetail());
            }
            if (Positions.sequence(end) > sequence) {
                scanner.close();
                scanner = null;
                sequence++;
                continue;
            }
            scanner.rewind(resumeAt, chain); // the durable end: more may come
            return null;
        }
    }

    /** Opens the segment to read from; false when nothing durable is there yet. */
    private boolean openNext(long end) throws IOException {
        Map.Entry<Long, Path> entry = segments.ceilingEntry(sequence);
        if (entry == null || entry.getKey() > Positions.sequence(end)) {
            return false;
        }
        if (entry.getKey() != sequence && sequence > Positions.sequence(from)) {
            throw new IOException("journal segment " + sequence + " was released while a reader was reading it");
        }
        sequence = entry.getKey();
        SegmentScanner opened;
        try {
            opened = new SegmentScanner(loop, entry.getValue(), sequence, Recovery.WINDOW_BYTES);
        } catch (NoSuchFileException e) {
            throw new IOException("journal segment " + sequence + " in " + directory.path + " was released", e);
        }
        String problem = opened.readHeader();
        if (problem != null) {
            opened.close();
            throw new IOException("journal segment " + sequence + " (" + entry.getValue() + ") cannot be read: " + problem);
        }
        scanner = opened;
        return true;
    }

    /** Closes the file it reads; idempotent. Any thread but the loop's (it waits for the file to close). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (scanner != null) {
                scanner.close();
                scanner = null;
            }
        }
    }
}
