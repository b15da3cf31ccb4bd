package io.fdloop.cli.bench.proc;

import java.io.IOException;

/**
 * Whether a child process may have its soft fd limit raised to a number ({@code ulimit -n} in a
 * shell: up to the hard limit, or anything up to {@code fs.nr_open} for root).
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class FdLimit {
    private FdLimit() {
    }

    /** Why a child cannot get {@code fds} file descriptors here, or null when it can. */
    public static String cannotRaiseTo(int fds) {
        try {
            Process shell = new ProcessBuilder("sh", "-c", "ulimit -n " + fds + " 2>/dev/null || ulimit -Hn")
                    .redirectErrorStream(true).start();
            String out = new String(shell.getInputStream().readAllBytes()).strip();
            if (shell.waitFor() != 0) {
                return "sh -c ulimit failed";
            }
            return out.isEmpty() ? null : "the fd limit cannot be raised to " + fds + " (the hard limit is " + out
                    + "; raise it with ulimit -Hn, or run as root)";
        } catch (IOException e) {
            return "no sh to raise the fd limit with: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
