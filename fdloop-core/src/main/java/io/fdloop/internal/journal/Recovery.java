package io.fdloop.internal.journal;

import io.fdloop.journal.RecoveryReport;
import io.fdloop.journal.RecoveryStop;

import io.fdloop.EventLoop;
import io.fdloop.file.AlignedBuffers;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Opening a journal's directory: scans the segments in sequence order and decides where appends
 * resume. Segments are read front to back; the scan stops for good at the first torn record, bad
 * header or missing segment (what follows is renamed out of the way, never read again), and
 * otherwise ends at the last segment's first non-record. Segments after the last valid one whose
 * headers were never written (prepared, then a crash) are handed back as spares.
 *
 * <p><b>Not thread-safe</b>: runs once, on the thread opening the journal (never the loop's).
 */
public final class Recovery {
    public static final int WINDOW_BYTES = 1 << 20;

    /**
     * Where appends resume.
     *
     * @param sequence    the segment's sequence
     * @param path        its file
     * @param size        its size, from its header
     * @param salt        its salt, from its header
     * @param writeOffset where the next record goes
     * @param chain       the crc the next record must name as its previous
     * @param tailBlock   the durable bytes of the block {@code writeOffset} falls in, before it
     */
    public record Resume(long sequence, Path path, long size, long salt, long writeOffset, int chain, MemorySegment tailBlock) {
    }

    /**
     * What the scan decided.
     *
     * @param report       for the user
     * @param resume       where appends resume, or null when no segment holds a valid header
     * @param nextSequence the sequence of the next new segment
     * @param live         the valid segments, by sequence (the ones readers may read)
     */
    public record Outcome(RecoveryReport report, Resume resume, long nextSequence, TreeMap<Long, Path> live) {
    }

    private Recovery() {
    }

    public static Outcome run(EventLoop loop, SegmentDirectory directory, Arena arena) throws IOException {
        directory.removeLeftovers();
        TreeMap<Long, Path> segments = directory.segments();
        TreeMap<Long, Path> live = new TreeMap<>();
        List<Map.Entry<Long, Path>> invalid = new ArrayList<>(); // headers not (yet) valid, after the last valid one
        List<Path> discard = new ArrayList<>();
        long records = 0;
        long first = -1;
        RecoveryStop stop = null;
        Resume resume = null;
        boolean hardStop = false;
        for (Map.Entry<Long, Path> entry : segments.entrySet()) {
            long sequence = entry.getKey();
            Path path = entry.getValue();
            if (hardStop) {
                discard.add(path);
                continue;
            }
            try (SegmentScanner scanner = new SegmentScanner(loop, path, sequence, WINDOW_BYTES)) {
                String headerProblem = scanner.readHeader();
                if (headerProblem != null) {
                    invalid.add(Map.entry(sequence, path));
                    continue;
                }
                if (!invalid.isEmpty()) {
                    // An unreadable segment with a valid one after it: corruption, not a crash.
                    Map.Entry<Long, Path> bad = invalid.getFirst();
                    stop = new RecoveryStop(bad.getValue(), bad.getKey(), 0, RecoveryStop.Reason.BAD_SEGMENT_HEADER,
                            "segment " + bad.getKey() + " has no valid header but segment " + sequence + " follows it");
                    invalid.forEach(e -> discard.add(e.getValue()));
                    invalid.clear();
                    discard.add(path);
                    hardStop = true;
                    continue;
                }
                if (resume != null && sequence != resume.sequence() + 1) {
                    stop = new RecoveryStop(path, sequence, 0, RecoveryStop.Reason.BAD_SEGMENT_HEADER,
                            "segment " + (resume.sequence() + 1) + " is missing before segment " + sequence);
                    discard.add(path);
                    hardStop = true;
                    continue;
                }
                RecoveryStop.Reason reason;
                while ((reason = scanner.next()) == null) {
                    records++;
                    if (first < 0) {
                        first = Positions.of(sequence, scanner.recordOffset());
                    }
                }
                live.put(sequence, path);
                stop = new RecoveryStop(path, sequence, scanner.offset(), reason, scanner.stopDetail());
                resume = resumeAt(scanner, sequence, arena);
                if (reason == RecoveryStop.Reason.TORN_RECORD) {
                    hardStop = true;
                }
            }
        }
        List<Path> discarded = new ArrayList<>();
        for (Path path : discard) {
            discarded.add(directory.discard(path));
        }
        long highest = segments.isEmpty() ? 0 : segments.lastKey();
        long next = resume != null ? resume.sequence() + 1 : highest + 1;
        // Never-written segments after the end go back to the spares, so the next ones can take their names.
        for (Map.Entry<Long, Path> unused : invalid) {
            directory.rename(unused.getValue(), directory.spare(unused.getKey()));
        }
        if (!discarded.isEmpty() || !invalid.isEmpty()) {
            directory.sync();
        }
        if (stop == null) {
            stop = new RecoveryStop(directory.path, next, RecordFormat.HEADER_SIZE, RecoveryStop.Reason.EMPTY,
                    "no segment holds records yet");
        }
        long end = resume != null ? Positions.of(resume.sequence(), resume.writeOffset())
                : Positions.of(next, RecordFormat.HEADER_SIZE);
        RecoveryReport report = new RecoveryReport(live.size(), records, first < 0 ? end : first, end, stop, discarded);
        return new Outcome(report, resume, next, live);
    }

    private static Resume resumeAt(SegmentScanner scanner, long sequence, Arena arena) throws IOException {
        long writeOffset = scanner.offset();
        long blockStart = writeOffset & -AlignedBuffers.SAFE_ALIGNMENT;
        int carried = (int) (writeOffset - blockStart);
        MemorySegment tail = arena.allocate(Math.max(1, carried), 8);
        if (carried > 0) {
            scanner.copy(blockStart, carried, tail);
        }
        return new Resume(sequence, scanner.path(), scanner.size(), scanner.salt(), writeOffset, scanner.chain(),
                tail.asSlice(0, carried));
    }
}
