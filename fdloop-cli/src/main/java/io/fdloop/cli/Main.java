package io.fdloop.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code fdloop} command.
 */
@Command(name = "fdloop", mixinStandardHelpOptions = true, version = "fdloop 0.1.0",
        description = "One epoll loop for eventfd-signalled Linux AIO, timers, signals and user events.",
        subcommands = {DemoCommand.class, InfoCommand.class, BenchCommand.class, EchoServerCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
