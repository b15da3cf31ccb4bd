package io.fdloop.journal;


import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Journal.Builder#open()} found in the directory: how many records survived, where the journal
 * resumes, and where and why the scan stopped.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param segments      segments holding valid records
 * @param records       valid records found
 * @param firstPosition the position of the first record, or the end position when there is none
 * @param endPosition   the position after the last valid record: new appends continue there
 * @param stop          where and why the scan stopped
 * @param discarded     segment files after a torn record or a bad header: renamed with a
 *                      {@code .discarded} suffix, never read again, kept for inspection
 */
public record RecoveryReport(int segments, long records, long firstPosition, long endPosition, RecoveryStop stop,
                             List<Path> discarded) {

    /** Checks the report; {@code discarded} is copied. */
    public RecoveryReport {
        Objects.requireNonNull(stop, "stop");
        discarded = List.copyOf(discarded);
    }
}
