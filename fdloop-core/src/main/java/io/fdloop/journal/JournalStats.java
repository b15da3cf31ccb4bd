package io.fdloop.journal;


/**
 * Counters of one journal since it was opened, for monitoring and benchmarks.
 *
 * <p><b>Immutable; thread-safe.</b> A snapshot: the counters are read one after the other while
 * the loop may be updating them.
 *
 * @param records        records made durable
 * @param batches        batches written (one write each)
 * @param syncs          {@code fdatasync} calls issued (0 with {@link Durability#DSYNC} and {@link Durability#NONE})
 * @param bytesWritten   bytes written to segments, block padding and rewritten tail blocks included
 * @param largestBatch   the most records one batch carried
 * @param segmentsRolled times the journal moved on to a new segment
 * @param segmentWaits   times a roll found no prepared segment and appends waited for the preparer
 */
public record JournalStats(long records, long batches, long syncs, long bytesWritten, long largestBatch,
                           long segmentsRolled, long segmentWaits) {

    /**
     * Records per batch, on average. Any thread.
     *
     * @return records divided by batches, 0 before the first batch
     */
    public double recordsPerBatch() {
        return batches == 0 ? 0 : (double) records / batches;
    }
}
