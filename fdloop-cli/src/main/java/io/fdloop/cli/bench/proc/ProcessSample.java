package io.fdloop.cli.bench.proc;

/**
 * One reading of a process (and its live descendants) from {@code /proc}; two of them bound a
 * measuring window.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param nanoTime        when ({@link System#nanoTime()})
 * @param cpuNs           user + system CPU time so far, every thread, nanoseconds (10 ms resolution)
 * @param contextSwitches voluntary + involuntary context switches of the threads alive now
 * @param threads         threads alive now
 * @param rssBytes        resident memory now
 */
public record ProcessSample(long nanoTime, long cpuNs, long contextSwitches, int threads, long rssBytes) {

    /** What the process used from {@code start} to this reading. */
    public ProcessUsage since(ProcessSample start) {
        return new ProcessUsage(nanoTime - start.nanoTime, cpuNs - start.cpuNs, contextSwitches - start.contextSwitches,
                Math.max(threads, start.threads), Math.max(rssBytes, start.rssBytes));
    }
}
