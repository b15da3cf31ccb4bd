package io.fdloop.internal.linux;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * What tests need of the page cache that fdloop itself never does: dropping a file's pages with
 * {@code posix_fadvise(POSIX_FADV_DONTNEED)} (after {@code fsync}, so none is dirty) to make it cold.
 */
public final class PageCacheFixture {
    /** {@code POSIX_FADV_DONTNEED} on x86_64 and aarch64 ({@code linux/fadvise.h}; s390 differs). */
    public static final int POSIX_FADV_DONTNEED = 4;
    private static final MethodHandle FADVISE = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("posix_fadvise64").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));

    private PageCacheFixture() {
    }

    /** Writes the file's dirty pages back and drops all its pages; 0, or the error number. */
    public static int drop(Path file) throws IOException {
        Syscalls sys = Syscalls.linux();
        int fd = FileOpen.open(sys, file, Arch.O_RDONLY);
        try {
            sys.fsync(fd);
            return (int) FADVISE.invokeExact(fd, 0L, 0L, POSIX_FADV_DONTNEED);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            sys.close(fd);
        }
    }
}
