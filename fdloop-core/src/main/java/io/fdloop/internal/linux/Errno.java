package io.fdloop.internal.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * errno values fdloop handles by name, and their symbols and messages from glibc
 * ({@code strerrorname_np(3)}, {@code strerrordesc_np(3)}: static strings, thread-safe).
 *
 * <p><b>Stateless; thread-safe.</b> The numbers are the asm-generic ones, shared by x86_64 and aarch64.
 */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, EINTR = 4, EIO = 5, EBADF = 9, EAGAIN = 11, ENOMEM = 12, EBUSY = 16,
            EACCES = 13, EFAULT = 14, EEXIST = 17, ENODEV = 19, EISDIR = 21, EINVAL = 22, EMFILE = 24,
            ENFILE = 23, ENOSPC = 28, ESPIPE = 29, EROFS = 30, EPIPE = 32, ENOSYS = 38, EPROTO = 71,
            EOPNOTSUPP = 95, EADDRINUSE = 98, EADDRNOTAVAIL = 99, ENETUNREACH = 101, ECONNABORTED = 103,
            ECONNRESET = 104, ENOBUFS = 105, ENOTCONN = 107, ETIMEDOUT = 110, ECONNREFUSED = 111,
            EHOSTUNREACH = 113, EINPROGRESS = 115, ECANCELED = 125;

    private static final MethodHandle NAME = lookup("strerrorname_np");
    private static final MethodHandle DESCRIPTION = lookup("strerrordesc_np");

    private Errno() {
    }

    /** The symbol, such as {@code "EINVAL"}, or {@code "errno 1234"} when libc knows none. */
    public static String name(int errno) {
        String name = call(NAME, errno);
        return name != null ? name : "errno " + errno;
    }

    /** The message, such as {@code "Invalid argument"}. */
    public static String description(int errno) {
        String description = call(DESCRIPTION, errno);
        return description != null ? description : "Unknown error " + errno;
    }

    private static String call(MethodHandle handle, int errno) {
        if (handle == null) {
            return null;
        }
        try {
            MemorySegment text = (MemorySegment) handle.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? null : text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw new AssertionError("strerror*_np cannot throw", t);
        }
    }

    private static MethodHandle lookup(String function) {
        Linker linker = Linker.nativeLinker();
        Optional<MemorySegment> symbol = linker.defaultLookup().find(function);
        return symbol.map(address -> linker.downcallHandle(address,
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT))).orElse(null);
    }
}
