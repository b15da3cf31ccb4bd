package io.fdloop.cli.bench.proc;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to start one server engine: its command line (without the pinning), where, with what
 * environment, and how it says it is ready.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param engine      the engine's name
 * @param command     the program and its arguments
 * @param directory   the working directory, or null for this one's
 * @param environment variables added to this process's
 * @param readiness   how it says it is ready
 */
public record ServerLaunch(String engine, List<String> command, Path directory, Map<String, String> environment,
                           Readiness readiness) {
    public ServerLaunch {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    public ServerLaunch(String engine, List<String> command, Readiness readiness) {
        this(engine, command, null, Map.of(), readiness);
    }
}
