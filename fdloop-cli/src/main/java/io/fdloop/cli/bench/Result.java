package io.fdloop.cli.bench;

/**
 * What one engine achieved on one job.
 *
 * @param engine       the engine's name
 * @param job          the job
 * @param operations   requests completed while measuring
 * @param seconds      how long the measurement lasted
 * @param cpuNs        CPU time (user + system) of the whole process while measuring
 * @param allocatedBytesPerOperation bytes the loop thread allocated per operation, or NaN when not measured
 */
public record Result(String engine, Job job, long operations, double seconds, long cpuNs,
                     double allocatedBytesPerOperation) {

    public double iops() {
        return operations / seconds;
    }

    public double mibPerSecond() {
        return iops() * job.blockSize() / (1024.0 * 1024.0);
    }

    public double cpuMicrosPerOperation() {
        return operations == 0 ? 0 : cpuNs / 1000.0 / operations;
    }
}
