package io.fdloop.internal.http;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** The test JVM's soft {@code RLIMIT_NOFILE} (which the JVM raises to the hard limit when it starts). */
final class FdLimit {
    private static final int RLIMIT_NOFILE = 7;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle GETRLIMIT = LINKER.downcallHandle(
            LINKER.defaultLookup().find("getrlimit").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    private FdLimit() {
    }

    static long current() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment limit = arena.allocate(16, 8); // struct rlimit { rlim_t rlim_cur, rlim_max; }
            int r = (int) GETRLIMIT.invokeExact(RLIMIT_NOFILE, limit);
            return r == 0 ? limit.get(JAVA_LONG, 0) : -1;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
