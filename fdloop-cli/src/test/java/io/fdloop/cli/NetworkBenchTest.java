package io.fdloop.cli;

import io.fdloop.cli.bench.JsonParser;
import io.fdloop.cli.bench.proc.Pinning;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code bench --net echo} and {@code bench --http} as a user runs them: bad arguments refused
 * with what is expected, then one short real run of each against one peer (skipped where taskset,
 * two cores or wrk are missing). No figure is asserted beyond "something was measured".
 */
class NetworkBenchTest {

    @Test
    void shouldRefuseBadNetworkArgumentsSayingWhatIsExpected() {
        assertRefused("--net knows one benchmark, echo; was chat", "bench", "--net", "chat");
        assertRefused("unknown --net echo engine nope; known: fdloop-epoll, fdloop-uring, netty-epoll, netty-uring, "
                + "jdk-nio, jdk-vthreads", "bench", "--net", "echo", "--engines", "jdk-nio,nope");
        assertRefused("--pipeline must be 1 to 1024, was 0", "bench", "--net", "echo", "--pipeline", "0");
        assertRefused("--connections must be 1 to 100000, was 0", "bench", "--net", "echo", "--connections", "0");
        assertRefused("--size must be 1 byte to 16m", "bench", "--net", "echo", "--size", "1g");
        assertRefused("--net and --http are two benchmarks", "bench", "--net", "echo", "--http");
        assertRefused("unknown --http case cold-1g", "bench", "--http", "--cases", "hot-4k,cold-1g");
        assertRefused("unknown --http engine apache", "bench", "--http", "--engines", "apache");
        assertRefused("--runtime must be at least 1s", "bench", "--http", "--runtime", "500ms");
    }

    @Test
    void shouldEchoThroughFdloopAndJdkNio() {
        String pinning = Pinning.unavailableBecause();
        assumeTrue(pinning == null, () -> "cannot pin: " + pinning);
        Run run = run("bench", "--net", "echo", "--runtime", "1s", "--warmup", "200ms", "--connections", "8",
                "--idle-connections", "200", "--engines", "fdloop-epoll,jdk-nio", "--json");
        assertEquals(0, run.exitCode, run.err);
        List<?> rows = (List<?>) JsonParser.parse(run.out);
        assertEquals(2, rows.size(), run.out);
        assertEquals("fdloop-epoll", ((Map<?, ?>) rows.getFirst()).get("engine"));
        Map<?, ?> row = (Map<?, ?>) rows.get(1);
        assertEquals("jdk-nio", row.get("engine"));
        for (String field : List.of("requests_per_s", "p50_us", "p99_us", "p999_us", "server_cpu_us_per_req",
                "server_ctx_per_req", "server_core", "load_core", "idle_bytes_per_conn")) {
            assertTrue(row.get(field) instanceof Double, field + " in " + row);
        }
        assertTrue((Double) row.get("requests_per_s") > 0 && (Double) row.get("server_threads") >= 1, run.out);
        assertTrue(((String) row.get("reproduce")).startsWith("./fdloop bench --net echo --connections 8"), run.out);
    }

    @Test
    void shouldServeAFileThroughFdloopAndJwebserverUnderWrk() throws IOException {
        String pinning = Pinning.unavailableBecause();
        assumeTrue(pinning == null, () -> "cannot pin: " + pinning);
        assumeTrue(hasWrk(), "wrk is not installed (apt-get install wrk)");
        Run run = run("bench", "--http", "--cases", "hot-4k", "--runtime", "1s", "--warmup", "0s", "--connections", "8",
                "--engines", "fdloop-epoll,jwebserver", "--json");
        assertEquals(0, run.exitCode, run.err);
        List<?> rows = (List<?>) JsonParser.parse(run.out);
        assertEquals(2, rows.size(), run.out);
        Map<?, ?> fdloop = (Map<?, ?>) rows.getFirst();
        assertEquals("fdloop-epoll", fdloop.get("engine"));
        assertTrue((Double) fdloop.get("requests") > 0 && (Double) fdloop.get("non_2xx") == 0, run.out);
        Map<?, ?> row = (Map<?, ?>) rows.get(1);
        assertEquals("jwebserver", row.get("engine"));
        assertEquals("hot-4k", row.get("case"));
        assertTrue((Double) row.get("requests") > 0 && (Double) row.get("non_2xx") == 0, run.out);
        assertTrue((Double) row.get("mb_per_s") > 0 && row.get("server_cpu_us_per_req") instanceof Double, run.out);
    }

    private static boolean hasWrk() {
        try {
            Process wrk = new ProcessBuilder("wrk", "-v").redirectErrorStream(true).start();
            wrk.getInputStream().readAllBytes();
            wrk.waitFor();
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void assertRefused(String expected, String... args) {
        Run run = run(args);
        assertEquals(2, run.exitCode, run.err + run.out);
        assertTrue(run.err.contains(expected), run.err);
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            int code = new CommandLine(new Main()).execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }
}
