package io.fdloop.internal.uring;

import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.Errors;
import io.fdloop.internal.linux.Syscalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Why io_uring cannot be used, in words a user can act on.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class UringAvailability {
    private static final Path DISABLED = Path.of("/proc/sys/kernel/io_uring_disabled");

    private UringAvailability() {
    }

    /** Null when a small ring can be set up here, else why not. */
    public static String probe(Syscalls syscalls) {
        try {
            UringRing.open(syscalls, 2).close();
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** {@code kernel.io_uring_disabled}: 0, 1 or 2, or -1 when the kernel has no such setting. */
    public static int disabledSetting() {
        // One buffered read: procfs files report size 0 and may not serve a read past their first byte.
        try (java.io.BufferedReader reader = Files.newBufferedReader(DISABLED)) {
            return Integer.parseInt(String.valueOf(reader.readLine()).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    static IOException setupFailure(int negativeErrno) {
        String call = Errors.describe("io_uring_setup", -negativeErrno, null);
        return new IOException(switch (-negativeErrno) {
            case Errno.ENOSYS -> call + ": this kernel has no io_uring (Linux 5.1+, CONFIG_IO_URING)";
            case Errno.EPERM -> call + ": " + switch (disabledSetting()) {
                case 2 -> "io_uring is switched off (kernel.io_uring_disabled = 2)";
                case 1 -> "kernel.io_uring_disabled = 1 and this process is not in kernel.io_uring_group";
                default -> "blocked for this process, typically by a seccomp profile (container runtimes block io_uring by default)";
            };
            case Errno.ENOMEM -> call + ": the rings do not fit the locked-memory limit (ulimit -l; Linux before 5.12 "
                    + "charges them to RLIMIT_MEMLOCK)";
            default -> call;
        });
    }
}
