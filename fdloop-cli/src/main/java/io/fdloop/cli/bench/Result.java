package io.fdloop.cli.bench;

/**
 * What one engine achieved on one job.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param engine          the engine's name
 * @param job             the job
 * @param operations      requests completed while measuring
 * @param seconds         how long the measurement lasted
 * @param cpuUs           CPU time (user + system) of the whole process while measuring, microseconds
 * @param contextSwitches voluntary + involuntary context switches of the whole process while measuring
 * @param threads         threads the engine kept busy (see {@link Sample#busyThreadsSince})
 * @param allocatedBytes  heap bytes allocated while measuring (fdloop: by its loop thread; the
 *                        others: by every thread), or NaN when not known (fio)
 * @param latency         latency of the requests, from handing one over to its completion (fio: {@code lat})
 * @param fioClat         fio's {@code clat}, from its submit call's return to the completion; null for the others
 */
public record Result(String engine, Job job, long operations, double seconds, double cpuUs, long contextSwitches,
                     int threads, double allocatedBytes, Latency latency, Latency fioClat) {

    /**
     * Latency percentiles, in microseconds.
     *
     * @param p50Us  median
     * @param p99Us  99th percentile
     * @param p999Us 99.9th percentile
     * @param maxUs  the slowest request
     */
    public record Latency(double p50Us, double p99Us, double p999Us, double maxUs) {
    }

    public double iops() {
        return seconds <= 0 ? 0 : operations / seconds;
    }

    public double mibPerSecond() {
        return iops() * job.blockSize() / (1024.0 * 1024.0);
    }

    public double cpuUsPerOperation() {
        return perOperation(cpuUs);
    }

    public double contextSwitchesPerOperation() {
        return perOperation(contextSwitches);
    }

    /** NaN when not known. */
    public double allocatedBytesPerOperation() {
        return perOperation(allocatedBytes);
    }

    private double perOperation(double total) {
        return operations == 0 ? Double.NaN : total / operations;
    }
}
