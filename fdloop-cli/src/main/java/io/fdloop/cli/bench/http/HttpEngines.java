package io.fdloop.cli.bench.http;

import io.fdloop.cli.bench.FdloopCommands;
import io.fdloop.cli.bench.net.NettyTransport;
import io.fdloop.cli.bench.proc.JavaCommand;
import io.fdloop.cli.bench.proc.Readiness;
import io.fdloop.cli.bench.proc.ServerLaunch;
import io.fdloop.net.NetMechanism;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The engines {@code bench --http} knows, one line each, in the order it runs them. fdloop's run
 * {@code fdloop serve --mechanism epoll|uring} and are skipped, with the reason, where the host refuses the
 * socket mechanism.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class HttpEngines {
    private static final String ISSUE = "issue 10, fdloop serve";
    private static final List<String> FDLOOP_BASELINES = List.of("nginx", "jwebserver", "netty-http");

    private HttpEngines() {
    }

    public static List<HttpEngine> all(FdloopCommands commands) {
        return List.of(
                fdloop("fdloop-epoll", "epoll", commands),
                fdloop("fdloop-uring", "uring", commands),
                new HttpEngine("nginx", List.of(), (root, scratch, c) -> Nginx.launch(scratch, root, c),
                        Nginx::unavailableBecause),
                new HttpEngine("jwebserver", List.of("nginx"), HttpEngines::jwebserver,
                        HttpEngines::jwebserverMissing),
                new HttpEngine("netty-http", List.of("nginx"), (root, scratch, c) -> new ServerLaunch("netty-http",
                        JavaCommand.of(NettyFileServer.class.getName(), List.of("--root", root.toString(), "--bind",
                                "127.0.0.1", "--port", "0", "--loops", "1")), Readiness.SERVING),
                        NettyTransport.EPOLL::unavailableBecause));
    }

    public static List<String> names(FdloopCommands commands) {
        return all(commands).stream().map(HttpEngine::name).toList();
    }

    private static HttpEngine fdloop(String name, String mechanism, FdloopCommands commands) {
        return new HttpEngine(name, FDLOOP_BASELINES, (root, scratch, c) -> {
            // as nginx is configured here: keepalive_requests 1000000
            List<String> args = new ArrayList<>(List.of("serve", "--root", root.toString(), "--bind", "127.0.0.1",
                    "--port", "0", "--loops", "1", "--mechanism", mechanism, "--keepalive-requests", "1000000"));
            if (c.cold()) {
                args.addAll(List.of("--directio", "4m"));
            }
            return new ServerLaunch(name, JavaCommand.of("io.fdloop.cli.Main", args), Readiness.SERVING);
        }, () -> {
            String missing = commands.missing("serve", ISSUE, "--root", "--bind", "--port", "--loops", "--mechanism",
                    "--directio", "--keepalive-requests");
            return missing != null ? missing : mechanismMissing(mechanism);
        });
    }

    /** Why this build or host cannot serve sockets with {@code mechanism} ({@code epoll}, {@code uring}), or null. */
    static String mechanismMissing(String mechanism) {
        for (NetMechanism m : NetMechanism.values()) {
            if (m.name().equalsIgnoreCase(mechanism)) {
                return m.isAvailable() ? null : "the " + mechanism + " socket mechanism is unavailable here: "
                        + m.unavailabilityCause();
            }
        }
        return "no socket mechanism is called " + mechanism;
    }

    private static ServerLaunch jwebserver(Path root, Path scratch, HttpCase c) {
        List<String> command = new ArrayList<>(List.of(jwebserverPath().toString()));
        for (String option : JavaCommand.JVM_OPTIONS) {
            command.add("-J" + option);
        }
        command.addAll(List.of("-b", "127.0.0.1", "-p", "0", "-d", root.toString(), "-o", "none"));
        return new ServerLaunch("jwebserver", command, Readiness.JWEBSERVER);
    }

    private static String jwebserverMissing() {
        return Files.isExecutable(jwebserverPath()) ? null
                : "this JDK has no bin/jwebserver (it came with JDK 18; run bench on a full JDK 25)";
    }

    private static Path jwebserverPath() {
        return Path.of(System.getProperty("java.home"), "bin", "jwebserver");
    }
}
