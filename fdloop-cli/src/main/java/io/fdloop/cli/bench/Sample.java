package io.fdloop.cli.bench;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * What the process had used at one instant: the two readings around a window give its cost.
 *
 * <p><b>Immutable.</b> Taken on the controlling thread, which allocates while taking it; that
 * thread's own allocation is read first and last so it can be left out.
 *
 * @param nanoTime       when
 * @param usage          the whole process's CPU time and context switches
 * @param processAllocatedBytes heap bytes allocated by every thread so far, exited ones included
 * @param ownAllocatedBytes     of those, the controlling thread's
 * @param engineAllocatedBytes  heap bytes allocated so far by the threads an engine names (its loop thread), or -1
 * @param threadCpuNs    CPU time of each live Java thread, by id
 */
record Sample(long nanoTime, Rusage.Usage usage, long processAllocatedBytes, long ownAllocatedBytes,
              long engineAllocatedBytes, Map<Long, Long> threadCpuNs) {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Reads everything, the allocation counters last (the end of a window: what came before is counted). */
    static Sample end(long[] engineThreads) {
        long now = System.nanoTime();
        Rusage.Usage usage = Rusage.self();
        Map<Long, Long> cpu = threadCpu();
        long engine = engineAllocated(engineThreads);
        long own = THREADS.getCurrentThreadAllocatedBytes();
        return new Sample(now, usage, THREADS.getTotalThreadAllocatedBytes(), own, engine, cpu);
    }

    /** Reads everything, the allocation counters first (the start of a window: the reading itself is inside). */
    static Sample start(long[] engineThreads) {
        long process = THREADS.getTotalThreadAllocatedBytes();
        long own = THREADS.getCurrentThreadAllocatedBytes();
        long engine = engineAllocated(engineThreads);
        Map<Long, Long> cpu = threadCpu();
        Rusage.Usage usage = Rusage.self();
        return new Sample(System.nanoTime(), usage, process, own, engine, cpu);
    }

    /** Heap bytes allocated between {@code start} and this sample, by the engine's threads or, when it names none, by the process less this thread. */
    double allocatedSince(Sample start) {
        if (engineAllocatedBytes >= 0) {
            return engineAllocatedBytes - start.engineAllocatedBytes;
        }
        return (processAllocatedBytes - start.processAllocatedBytes) - (ownAllocatedBytes - start.ownAllocatedBytes);
    }

    /**
     * Java threads, other than this one, that ran for at least a thousandth of the time since
     * {@code start}: the threads an engine kept busy (JVM-internal threads such as the GC's and the
     * JIT compiler's are not Java threads and are not counted).
     */
    int busyThreadsSince(Sample start) {
        long threshold = (nanoTime - start.nanoTime) / 1000;
        long self = Thread.currentThread().threadId();
        int busy = 0;
        for (Map.Entry<Long, Long> e : threadCpuNs.entrySet()) {
            Long before = start.threadCpuNs.get(e.getKey());
            long ran = e.getValue() - (before == null ? 0 : before);
            if (e.getKey() != self && ran >= threshold && ran > 0) {
                busy++;
            }
        }
        return busy;
    }

    private static long engineAllocated(long[] threads) {
        if (threads == null) {
            return -1;
        }
        long sum = 0;
        for (long bytes : THREADS.getThreadAllocatedBytes(threads)) {
            sum += Math.max(0, bytes);
        }
        return sum;
    }

    private static Map<Long, Long> threadCpu() {
        long[] ids = THREADS.getAllThreadIds();
        long[] cpu = THREADS.getThreadCpuTime(ids);
        Map<Long, Long> byId = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (cpu[i] >= 0) {
                byId.put(ids[i], cpu[i]);
            }
        }
        return byId;
    }
}
