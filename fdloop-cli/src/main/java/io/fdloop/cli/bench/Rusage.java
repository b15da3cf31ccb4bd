package io.fdloop.cli.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code getrusage(RUSAGE_SELF)}: CPU time and context switches of the whole process, summed over
 * every thread, those that already exited included (which {@code /proc/self/status}, the leader
 * thread's own counts, and a walk over {@code /proc/self/task} both miss).
 *
 * <p><b>Stateless; thread-safe.</b>
 *
 * <pre>
 * struct rusage {                  (x86_64 and aarch64 alike: LP64, 64-bit time_t)
 *     struct timeval ru_utime;      0   { long tv_sec; long tv_usec; }
 *     struct timeval ru_stime;     16
 *     long ru_maxrss ... ru_nsignals;  32 .. 127 (12 longs)
 *     long ru_nvcsw;              128   voluntary context switches
 *     long ru_nivcsw;             136   involuntary context switches
 * };                              144
 * </pre>
 */
final class Rusage {
    private static final int RUSAGE_SELF = 0;
    private static final long SIZE = 144, UTIME = 0, STIME = 16, NVCSW = 128, NIVCSW = 136;

    /** {@code int getrusage(int who, struct rusage *usage);} */
    private static final MethodHandle GETRUSAGE = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("getrusage").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));

    /**
     * One reading.
     *
     * @param userUs      user CPU time, microseconds
     * @param systemUs    system CPU time, microseconds
     * @param voluntary   voluntary context switches (the thread blocked)
     * @param involuntary involuntary context switches (the thread was preempted)
     */
    record Usage(long userUs, long systemUs, long voluntary, long involuntary) {
        long cpuUs() {
            return userUs + systemUs;
        }

        long contextSwitches() {
            return voluntary + involuntary;
        }
    }

    private Rusage() {
    }

    static Usage self() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment usage = arena.allocate(SIZE, 8);
            int result = (int) GETRUSAGE.invokeExact(RUSAGE_SELF, usage);
            if (result != 0) {
                throw new IllegalStateException("getrusage(RUSAGE_SELF) failed");
            }
            return new Usage(micros(usage, UTIME), micros(usage, STIME), usage.get(ValueLayout.JAVA_LONG, NVCSW),
                    usage.get(ValueLayout.JAVA_LONG, NIVCSW));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static long micros(MemorySegment usage, long timeval) {
        return usage.get(ValueLayout.JAVA_LONG, timeval) * 1_000_000 + usage.get(ValueLayout.JAVA_LONG, timeval + 8);
    }
}
