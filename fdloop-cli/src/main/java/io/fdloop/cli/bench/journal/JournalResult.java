package io.fdloop.cli.bench.journal;

/**
 * What one engine achieved in one {@link JournalJob}.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param engine  the engine's name
 * @param job     the job
 * @param records appends completed while measuring
 * @param seconds how long the measurement lasted
 * @param cpuNs   CPU time of the whole process while measuring (producers included)
 * @param syncs   fdatasync/fsync calls issued while measuring, or -1 when not counted
 * @param p50Us   commit latency percentiles, from the append call to its return, microseconds
 * @param p99Us   99th percentile
 * @param p999Us  99.9th percentile
 * @param maxUs   the slowest
 * @param notes   what the engine said about its run (batches, backend), or null
 * @param durability what "durable" meant for the engine
 */
public record JournalResult(String engine, JournalJob job, long records, double seconds, long cpuNs, long syncs,
                            double p50Us, double p99Us, double p999Us, double maxUs, String notes, String durability) {

    public double recordsPerSecond() {
        return seconds <= 0 ? 0 : records / seconds;
    }

    public double mibPerSecond() {
        return recordsPerSecond() * job.recordSize() / (1024.0 * 1024.0);
    }

    /** NaN when not counted. */
    public double syncsPerRecord() {
        return syncs < 0 || records == 0 ? Double.NaN : (double) syncs / records;
    }

    public double cpuUsPerRecord() {
        return records == 0 ? Double.NaN : cpuNs / 1000.0 / records;
    }
}
