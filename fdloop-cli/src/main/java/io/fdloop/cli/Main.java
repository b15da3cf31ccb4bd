package io.fdloop.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code fdloop} command.
 */
@Command(name = "fdloop", mixinStandardHelpOptions = true, version = "fdloop 0.1.0",
        description = "One event loop for disk I/O (io_uring, Linux AIO), sockets, timers, signals and user events.",
        subcommands = {DemoCommand.class, InfoCommand.class, BenchCommand.class, EchoServerCommand.class, ServeCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with fdloop's error handling: one line per mistake or failure, not a stack or the usage. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        // A failure the command did not turn into words itself: one line, the stack trace only when asked for.
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            String command = parsed.subcommand() != null ? parsed.subcommand().commandSpec().name() : "fdloop";
            System.err.println(command + ": " + Errors.reason(e));
            if (System.getenv("FDLOOP_DEBUG") != null) {
                e.printStackTrace();
            } else {
                System.err.println("(FDLOOP_DEBUG=1 shows where)");
            }
            return 1;
        });
        // A wrong option gets its own message and a pointer to the help, not the whole usage.
        commandLine.setParameterExceptionHandler((e, given) -> {
            CommandLine failing = e.getCommandLine();
            System.err.println(failing.getCommandName() + ": " + e.getMessage());
            System.err.println("see: " + failing.getCommandSpec().qualifiedName() + " --help");
            return 2;
        });
        return commandLine;
    }
}
