package io.fdloop.cli.bench.proc;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code /proc} says about a running process and its live descendants (nginx's worker is the
 * master's child): CPU time, context switches, threads, resident memory and open fds.
 *
 * <pre>
 * /proc/PID/stat     pid (comm) state ppid ... utime(14) stime(15) cutime(16) cstime(17) ...
 *                    (cutime, cstime: children that exited and were waited for)
 *                    comm may hold spaces and parentheses: fields are counted after the last ')'
 * /proc/PID/status   "Threads:  N", "VmRSS:  N kB"
 * /proc/PID/task/TID/status  "voluntary_ctxt_switches:  N", "nonvoluntary_ctxt_switches:  N"
 * </pre>
 *
 * <p>utime and stime cover every thread of a process, those that exited included; context
 * switches are summed over the threads alive at the reading (the kernel keeps no process-wide
 * count outside {@code getrusage}, which only the process itself can call).
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class ProcFs {
    private static final Path PROC = Path.of("/proc");
    private static final int SC_CLK_TCK = 2;
    /** Nanoseconds per clock tick of utime/stime (USER_HZ, 100 on every Linux ABI fdloop runs on). */
    private static final long NS_PER_TICK = 1_000_000_000L / clockTicksPerSecond();

    private ProcFs() {
    }

    /** Nanoseconds in one clock tick of /proc's CPU times. */
    static long nanosPerTick() {
        return NS_PER_TICK;
    }

    /** The process {@code pid} and its live descendants, read now; NoSuchFileException once {@code pid} is gone. */
    public static ProcessSample sample(long pid) throws IOException {
        long now = System.nanoTime();
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        long cpuNs = 0, switches = 0, rss = 0;
        int threads = 0;
        for (int i = 0; i < pids.size(); i++) {
            Path dir = PROC.resolve(Long.toString(pids.get(i)));
            try {
                cpuNs += cpuTicks(Files.readString(dir.resolve("stat"))) * NS_PER_TICK;
                String status = Files.readString(dir.resolve("status"));
                threads += (int) statusField(status, "Threads");
                rss += statusField(status, "VmRSS") * 1024;
                switches += taskContextSwitches(dir.resolve("task"));
            } catch (NoSuchFileException e) {
                if (i == 0) {
                    throw e;
                } // a descendant that exited between the listing and the reading
            }
        }
        return new ProcessSample(now, cpuNs, switches, threads, rss);
    }

    /**
     * CPU time (user + system) of this process's children that have exited and been waited for
     * (cutime + cstime of /proc/self/stat): a finished child's whole CPU time, as the difference
     * of two readings around its life.
     */
    public static long reapedChildrenCpuNs() throws IOException {
        return childrenCpuTicks(Files.readString(PROC.resolve("self").resolve("stat"))) * NS_PER_TICK;
    }

    /** Open fds of {@code pid} (the entries of /proc/PID/fd). */
    public static int openFds(long pid) throws IOException {
        int count = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(Long.toString(pid)).resolve("fd"))) {
            for (Path ignored : fds) {
                count++;
            }
        }
        return count;
    }

    /** utime + stime, in clock ticks, from the text of a /proc/PID/stat. */
    static long cpuTicks(String stat) {
        String[] fields = fieldsAfterComm(stat);
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The fields from 3 (state) on: utime (14) is at index 11, stime 12, cutime 13, cstime 14. */
    private static String[] fieldsAfterComm(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat);
        }
        String[] fields = stat.substring(close + 1).trim().split(" +");
        if (fields.length < 15) {
            throw new IllegalArgumentException("a /proc/PID/stat line with " + fields.length + " fields after comm: " + stat);
        }
        return fields;
    }

    /** cutime + cstime, in clock ticks, from the text of a /proc/PID/stat. */
    static long childrenCpuTicks(String stat) {
        String[] fields = fieldsAfterComm(stat);
        return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    }

    /** The first number of the {@code key:} line of a /proc/PID/status text; IllegalArgumentException when absent. */
    static long statusField(String status, String key) {
        int at = 0;
        while (at < status.length()) {
            int end = status.indexOf('\n', at);
            if (end < 0) {
                end = status.length();
            }
            if (status.startsWith(key, at) && at + key.length() < end && status.charAt(at + key.length()) == ':') {
                String value = status.substring(at + key.length() + 1, end).trim();
                int space = value.indexOf(' ');
                return Long.parseLong(space < 0 ? value : value.substring(0, space));
            }
            at = end + 1;
        }
        throw new IllegalArgumentException("no " + key + " line in /proc/PID/status");
    }

    private static long taskContextSwitches(Path tasks) throws IOException {
        long sum = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path task : threads) {
                try {
                    String status = Files.readString(task.resolve("status"));
                    sum += statusField(status, "voluntary_ctxt_switches") + statusField(status, "nonvoluntary_ctxt_switches");
                } catch (NoSuchFileException e) {
                    // a thread that exited since the listing
                }
            }
        }
        return sum;
    }

    private static long clockTicksPerSecond() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle sysconf = linker.downcallHandle(linker.defaultLookup().find("sysconf").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            long ticks = (long) sysconf.invokeExact(SC_CLK_TCK);
            return ticks > 0 ? ticks : 100;
        } catch (Throwable e) {
            return 100;
        }
    }
}
