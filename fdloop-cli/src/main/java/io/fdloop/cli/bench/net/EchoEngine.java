package io.fdloop.cli.bench.net;

import io.fdloop.cli.bench.proc.JavaCommand;
import io.fdloop.cli.bench.proc.Readiness;
import io.fdloop.cli.bench.proc.ServerLaunch;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One echo server engine: a main class started in a JVM of its own with the arguments every
 * engine takes ({@code --bind 127.0.0.1 --port 0 --loops 1}) and its own, ready once it prints
 * {@code listening on HOST:PORT}.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param name        what {@code --engines} calls it
 * @param baseline    the engine its ratio row compares it with, or null for none
 * @param mainClass   the main class
 * @param subcommand  its first argument (fdloop's {@code echo-server}), or null
 * @param args        its arguments after the common ones
 * @param unavailable why it cannot run here, or null when it can (asked when the run starts)
 */
public record EchoEngine(String name, String baseline, String mainClass, String subcommand, List<String> args,
                         Supplier<String> unavailable) {
    public EchoEngine {
        args = List.copyOf(args);
    }

    /** Why this engine cannot run here, or null. */
    public String unavailableBecause() {
        return unavailable.get();
    }

    /** How to start it, with {@code loops} event loop threads. */
    public ServerLaunch launch(int loops) {
        List<String> all = new ArrayList<>();
        if (subcommand != null) {
            all.add(subcommand);
        }
        all.addAll(List.of("--bind", "127.0.0.1", "--port", "0", "--loops", Integer.toString(loops)));
        all.addAll(args);
        return new ServerLaunch(name, JavaCommand.of(mainClass, all), Readiness.LISTENING);
    }
}
