package io.fdloop.cli.bench.net;

import java.io.PrintStream;

/**
 * The echo load generator, the same program against every server: {@code bench --net echo}
 * starts it in a JVM of its own, pinned to the core the server does not use, and reads its
 * lines (see {@link LoadReport}). Exits 0 after a run, 1 when the run failed (a connection
 * refused or closed, an echoed byte that differs), 2 on bad arguments.
 *
 * <p><b>Not thread-safe</b>: a program.
 */
public final class EchoLoad {
    private EchoLoad() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            out.println(LoadReport.ERROR_PREFIX + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            if (options.idle() > 0) {
                IdleConnections.hold(options.server(), options.idle(), out, System.in);
            } else {
                out.println(new EchoDriver(options, out).run().format());
            }
            out.flush();
            System.exit(0);
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            out.println(LoadReport.ERROR_PREFIX + message.replace('\n', ' '));
            out.flush();
            System.exit(1);
        }
    }
}
