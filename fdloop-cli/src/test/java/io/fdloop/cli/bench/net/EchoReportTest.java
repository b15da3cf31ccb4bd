package io.fdloop.cli.bench.net;

import io.fdloop.cli.bench.FdloopCommands;
import io.fdloop.cli.bench.JsonParser;
import io.fdloop.cli.bench.proc.Contention;
import io.fdloop.cli.bench.proc.ProcessUsage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine table and the outputs of {@code bench --net echo}, on results made up for the purpose. */
class EchoReportTest {
    private static final EchoJob JOB = new EchoJob(64, 64, 1, 0, 1_000_000_000L, 0);
    private static final Contention QUIET = new Contention(0.01, 0.01);

    @Test
    void shouldListFdloopsEnginesAsNotYetAvailableUntilEchoServerExists() {
        List<EchoEngine> engines = EchoEngines.all(new FdloopCommands(Map.of()));
        assertEquals(List.of("fdloop-epoll", "fdloop-uring", "netty-epoll", "netty-uring", "jdk-nio", "jdk-vthreads"),
                engines.stream().map(EchoEngine::name).toList());
        assertTrue(engines.get(1).unavailableBecause().contains("no `fdloop echo-server` command"));
        assertNull(engines.get(4).unavailableBecause());

        FdloopCommands later = new FdloopCommands(Map.of("echo-server", Set.of("--bind", "--port", "--loops", "--mechanism")));
        EchoEngine fdloop = EchoEngines.all(later).get(1);
        assertNull(fdloop.unavailableBecause());
        assertEquals("netty-uring", fdloop.baseline());
        List<String> command = fdloop.launch(1).command();
        assertEquals(List.of("io.fdloop.cli.Main", "echo-server", "--bind", "127.0.0.1", "--port", "0", "--loops", "1",
                "--mechanism", "uring"), command.subList(command.indexOf("io.fdloop.cli.Main"), command.size()));
        assertTrue(EchoEngines.all(new FdloopCommands(Map.of("echo-server", Set.of("--port")))).getFirst()
                .unavailableBecause().contains("has no --bind option"));
    }

    @Test
    void shouldPutRatiosAgainstTheBaselineAndFlagWhatTheServerDidNotLimit() {
        EchoResult netty = result("netty-epoll", null, 100_000, 0.97, 0.60, QUIET);
        EchoResult nio = result("jdk-nio", "netty-epoll", 50_000, 0.40, 0.95, QUIET);
        EchoResult shared = result("jdk-vthreads", "netty-epoll", 80_000, 0.90, 0.50, new Contention(0.4, 0.0));
        String table = EchoTable.format(List.of(netty, nio, shared));
        assertTrue(table.contains("jdk-nio/netty-epoll") && table.contains("0.50x"), table);
        assertTrue(table.contains("LOAD-BOUND") && table.contains("SHARED-CORES"), table);
        assertTrue(table.contains("note: jdk-nio: load-bound: server core 40% busy, load core 95%"), table);
        assertEquals("", netty.note());

        List<?> rows = (List<?>) JsonParser.parse(EchoJson.format(List.of(netty, nio), "./fdloop bench --net echo"));
        Map<?, ?> second = (Map<?, ?>) rows.get(1);
        assertEquals(0.5, (Double) JsonParser.at(second, "vs_baseline", "requests_per_s"), 1e-9);
        assertEquals(Boolean.FALSE, JsonParser.at(second, "vs_baseline", "both_servers_saturated"));
        assertNull(((Map<?, ?>) rows.getFirst()).get("vs_baseline"));
    }

    private static EchoResult result(String engine, String baseline, long ops, double serverCore, double loadCore,
                                     Contention contention) {
        long window = 1_000_000_000L;
        LoadReport load = new LoadReport(ops, window, ops * 64, 300_000, 900_000, 2_000_000, 5_000_000,
                (long) (loadCore * window));
        ProcessUsage server = new ProcessUsage(window, (long) (serverCore * window), ops / 100, 14, 80 << 20);
        return new EchoResult(engine, baseline, JOB, load, server, contention, 2048, null, List.of("java"));
    }
}
