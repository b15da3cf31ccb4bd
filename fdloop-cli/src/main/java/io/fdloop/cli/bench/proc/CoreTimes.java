package io.fdloop.cli.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy one CPU has been since boot, from its line in {@code /proc/stat}: two readings around
 * a window, less the CPU time of the process pinned there, say how much of that core went to
 * other work (other processes, or the hypervisor's steal). A figure measured on a core others
 * were using is flagged.
 *
 * <pre>
 * cpuN  user nice system idle iowait irq softirq steal guest guest_nice   (clock ticks)
 *       busy = user + nice + system + irq + softirq + steal
 * </pre>
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param cpu    the CPU
 * @param busyNs time it spent busy since boot
 */
public record CoreTimes(int cpu, long busyNs) {

    /** Reads {@code cpu}'s line now. */
    public static CoreTimes read(int cpu) throws IOException {
        return parse(Files.readString(Path.of("/proc/stat")), cpu);
    }

    static CoreTimes parse(String stat, int cpu) {
        String prefix = "cpu" + cpu + " ";
        for (String line : stat.split("\n")) {
            if (line.startsWith(prefix)) {
                String[] f = line.substring(prefix.length()).trim().split(" +");
                long busy = 0;
                for (int i : new int[]{0, 1, 2, 5, 6, 7}) {
                    busy += i < f.length ? Long.parseLong(f[i]) : 0;
                }
                return new CoreTimes(cpu, busy * ProcFs.nanosPerTick());
            }
        }
        throw new IllegalArgumentException("no cpu" + cpu + " line in /proc/stat");
    }

    /**
     * The share of the window from {@code start} to this reading, {@code wallNs} long, that the
     * core spent on anything but {@code ownCpuNs} (the work of the process pinned to it).
     */
    public double othersShareSince(CoreTimes start, long ownCpuNs, long wallNs) {
        if (wallNs <= 0) {
            return Double.NaN;
        }
        return Math.max(0, (double) (busyNs - start.busyNs - ownCpuNs) / wallNs);
    }
}
