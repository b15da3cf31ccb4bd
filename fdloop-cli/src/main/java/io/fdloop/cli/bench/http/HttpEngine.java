package io.fdloop.cli.bench.http;

import io.fdloop.cli.bench.proc.ServerLaunch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * One static-file server engine: how to start it on a corpus for a case, what it is compared
 * with, and whether it can run here.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param name        what {@code --engines} calls it
 * @param baselines   the engines its ratio rows compare it with (those that ran)
 * @param launcher    how to start it
 * @param unavailable why it cannot run here, or null when it can (asked when the run starts)
 */
public record HttpEngine(String name, List<String> baselines, Launcher launcher, Supplier<String> unavailable) {
    public HttpEngine {
        baselines = List.copyOf(baselines);
    }

    /** How an engine starts for one case. */
    @FunctionalInterface
    public interface Launcher {
        /**
         * The launch serving {@code root} for {@code httpCase}; {@code scratch} is a directory of
         * its own for configuration and logs.
         */
        ServerLaunch launch(Path root, Path scratch, HttpCase httpCase) throws IOException;
    }

    public String unavailableBecause() {
        return unavailable.get();
    }
}
