package io.fdloop.cli.bench.proc;

/**
 * What a process used during a window.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param wallNs          the window's length
 * @param cpuNs           user + system CPU time spent in it
 * @param contextSwitches context switches in it
 * @param threads         the most threads seen at either end
 * @param rssBytes        the larger resident size of the two ends
 */
public record ProcessUsage(long wallNs, long cpuNs, long contextSwitches, int threads, long rssBytes) {

    /** CPU time over wall time: 1.0 is one core kept busy for the whole window. */
    public double coreUtilisation() {
        return wallNs <= 0 ? Double.NaN : (double) cpuNs / wallNs;
    }
}
