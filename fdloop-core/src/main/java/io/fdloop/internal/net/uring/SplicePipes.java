package io.fdloop.internal.net.uring;

import io.fdloop.internal.linux.Pipes;
import io.fdloop.internal.linux.Syscalls;

import java.io.IOException;

/**
 * The loop's pipes for {@code sendFile} on io_uring: a file range goes file-to-pipe, then pipe-to-socket,
 * each an {@code IORING_OP_SPLICE} the kernel runs on a worker of its own. A pipe carries one
 * connection's bytes at a time, so a connection takes one from this pool for as long as bytes of its are
 * in it and gives it back empty; a pipe given back holding bytes (the connection ended mid-way) is closed.
 *
 * <p><b>Loop thread only.</b>
 */
final class SplicePipes {
    /** What each pipe is asked to hold: one splice moves up to this much ({@code fs.pipe-max-size} may cap it). */
    static final int CAPACITY = 1 << 20;
    private static final int MAX_KEPT = 16;

    private final Syscalls syscalls;
    private final Pipe[] kept = new Pipe[MAX_KEPT];
    private int keptCount;

    /** One pipe: its two ends and how much it holds. */
    record Pipe(int readFd, int writeFd, int capacity) {
    }

    SplicePipes(Syscalls syscalls) {
        this.syscalls = syscalls;
    }

    /** An empty pipe. */
    Pipe take() throws IOException {
        if (keptCount > 0) {
            Pipe pipe = kept[--keptCount];
            kept[keptCount] = null;
            return pipe;
        }
        int[] fds = Pipes.open(syscalls, CAPACITY);
        return new Pipe(fds[0], fds[1], fds[2]);
    }

    /** Gives back a pipe that is empty. */
    void give(Pipe pipe) {
        if (keptCount < MAX_KEPT) {
            kept[keptCount++] = pipe;
        } else {
            close(pipe);
        }
    }

    /** A pipe that may still hold bytes: it is closed. */
    void close(Pipe pipe) {
        syscalls.close(pipe.readFd());
        syscalls.close(pipe.writeFd());
    }

    void closeAll() {
        while (keptCount > 0) {
            Pipe pipe = kept[--keptCount];
            kept[keptCount] = null;
            close(pipe);
        }
    }
}
