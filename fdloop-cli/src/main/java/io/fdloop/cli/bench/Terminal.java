package io.fdloop.cli.bench;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Whether a standard stream is a terminal ({@code isatty(3)}). {@code System.console()} answers
 * for standard input and output together; a progress bar on standard error needs fd 2's answer.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class Terminal {
    /** {@code int isatty(int fd);} */
    private static final MethodHandle ISATTY = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("isatty").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private Terminal() {
    }

    /** Whether standard error (fd 2) is a terminal. */
    public static boolean stderrIsTerminal() {
        try {
            return (int) ISATTY.invokeExact(2) == 1;
        } catch (Throwable e) {
            return false;
        }
    }
}
