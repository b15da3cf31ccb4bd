package io.fdloop.cli.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What bench shows on standard error while an engine runs: a progress bar redrawn in place when
 * standard error is a terminal; otherwise one line per engine, or nothing at all.
 *
 * <p><b>Not thread-safe</b>: the controlling thread only.
 */
public final class Progress {
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final boolean bar;
    private final boolean lines;
    private String label = "";
    private int drawn;

    private Progress(PrintStream err, boolean bar, boolean lines) {
        this.err = err;
        this.bar = bar;
        this.lines = lines;
    }

    /** A bar when {@code terminal}; else a line per engine unless {@code quiet}. */
    public static Progress of(PrintStream err, boolean terminal, boolean quiet) {
        return new Progress(err, terminal, !terminal && !quiet);
    }

    /** Shows nothing: for tests and callers that draw their own. */
    public static Progress none() {
        return new Progress(System.err, false, false);
    }

    /** Whether {@link #update} draws anything (so callers need not wake up to feed it). */
    public boolean animated() {
        return bar;
    }

    public void begin(String label) {
        this.label = label;
        if (lines) {
            err.println("bench: " + label + " ...");
        } else {
            update(0, "");
        }
    }

    /** Redraws the bar at {@code fraction} (0 to 1) with {@code detail} after it. */
    public void update(double fraction, String detail) {
        if (!bar) {
            return;
        }
        int filled = (int) Math.round(Math.clamp(fraction, 0, 1) * WIDTH);
        String line = String.format(Locale.ROOT, "%-40s [%s%s] %3d%%  %s", label, "#".repeat(filled),
                "-".repeat(WIDTH - filled), Math.round(Math.clamp(fraction, 0, 1) * 100), detail);
        err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
        err.flush();
        drawn = line.length();
    }

    /** Clears the bar. */
    public void end() {
        if (bar && drawn > 0) {
            err.print("\r" + " ".repeat(drawn) + "\r");
            err.flush();
            drawn = 0;
        }
    }
}
