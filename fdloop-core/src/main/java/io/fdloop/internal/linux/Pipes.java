package io.fdloop.internal.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * pipe2(2), and the pipe's capacity through fcntl(2) ({@code F_SETPIPE_SZ}, {@code F_GETPIPE_SZ} from
 * {@code include/uapi/linux/fcntl.h}, the same on x86_64 and aarch64).
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class Pipes {
    public static final int F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032;

    private Pipes() {
    }

    /**
     * Opens a close-on-exec pipe and asks for {@code capacity} bytes, which {@code fs.pipe-max-size} may refuse
     * (the pipe then keeps the size it has). Returns {@code {read end, write end, capacity in bytes}}.
     */
    public static int[] open(Syscalls syscalls, int capacity) throws IOException {
        int[] pipe = new int[3];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            int r = syscalls.pipe2(fds, Arch.O_CLOEXEC);
            if (r < 0) {
                throw Errors.ioException("pipe2", r, null);
            }
            pipe[0] = fds.getAtIndex(JAVA_INT, 0);
            pipe[1] = fds.getAtIndex(JAVA_INT, 1);
        }
        syscalls.fcntlInt(pipe[1], F_SETPIPE_SZ, capacity);
        int size = syscalls.fcntlInt(pipe[1], F_GETPIPE_SZ, 0);
        if (size <= 0) {
            syscalls.close(pipe[0]);
            syscalls.close(pipe[1]);
            throw Errors.ioException("fcntl(F_GETPIPE_SZ)", size < 0 ? size : -Errno.EINVAL, null);
        }
        pipe[2] = size;
        return pipe;
    }
}
