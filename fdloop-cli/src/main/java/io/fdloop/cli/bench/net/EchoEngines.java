package io.fdloop.cli.bench.net;

import io.fdloop.cli.bench.FdloopCommands;

import java.util.List;

/**
 * The engines {@code bench --net echo} knows, one line each, in the order it runs them. fdloop's
 * run {@code fdloop echo-server} and are skipped, with that reason, while this build lacks it.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class EchoEngines {
    private static final String FDLOOP_MAIN = "io.fdloop.cli.Main";
    private static final String ISSUE = "issue 9, sockets on the loop";

    private EchoEngines() {
    }

    /** Every engine, given which commands this build of fdloop has. */
    public static List<EchoEngine> all(FdloopCommands commands) {
        return List.of(
                fdloop("fdloop-epoll", "epoll", "netty-epoll", commands),
                fdloop("fdloop-uring", "uring", "netty-uring", commands),
                netty("netty-epoll", NettyTransport.EPOLL, null),
                netty("netty-uring", NettyTransport.IO_URING, "netty-epoll"),
                jdk("jdk-nio", NioEchoServer.class),
                jdk("jdk-vthreads", VirtualThreadEchoServer.class));
    }

    /** The names of {@link #all}. */
    public static List<String> names(FdloopCommands commands) {
        return all(commands).stream().map(EchoEngine::name).toList();
    }

    private static EchoEngine fdloop(String name, String mechanism, String baseline, FdloopCommands commands) {
        return new EchoEngine(name, baseline, FDLOOP_MAIN, "echo-server", List.of("--mechanism", mechanism),
                () -> commands.missing("echo-server", ISSUE, "--bind", "--port", "--loops", "--mechanism"));
    }

    private static EchoEngine netty(String name, NettyTransport transport, String baseline) {
        return new EchoEngine(name, baseline, NettyEchoServer.class.getName(), null, List.of("--transport", transport.cliName()),
                transport::unavailableBecause);
    }

    private static EchoEngine jdk(String name, Class<?> main) {
        return new EchoEngine(name, "netty-epoll", main.getName(), null, List.of(), () -> null);
    }
}
