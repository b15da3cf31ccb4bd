package io.fdloop.cli.bench.http;

import io.fdloop.cli.bench.FdloopCommands;
import io.fdloop.cli.bench.proc.Contention;
import io.fdloop.cli.bench.proc.ProcessUsage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** wrk's report line, the Lua scripts, nginx's configuration, the corpus and the cases, without a server. */
class HttpPartsTest {
    private static final String REPORT = "Running 1s test @ http://127.0.0.1:8080/\n  1 threads and 64 connections\n"
            + "fdloop-wrk requests=123456 duration_us=2000000 bytes=98765432 connect=0 read=2 write=0 status=5 "
            + "timeout=1 p50_us=512.0 p99_us=2048.5 p999_us=4096.0 max_us=9000.0\n";

    @Test
    void shouldReadWrksReportLine() {
        WrkResult r = WrkResult.parse(REPORT);
        assertEquals(123456, r.requests());
        assertEquals(61728.0, r.requestsPerSecond(), 1e-6);
        assertEquals(49.382716, r.megabytesPerSecond(), 1e-6);
        assertEquals(3, r.socketErrors());
        assertEquals(5, r.non2xx());
        assertTrue(r.hasErrors());
        assertEquals(2048.5, r.p99Us());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> WrkResult.parse("Running 1s test\nRequests/sec: 10\n"));
        assertTrue(none.getMessage().contains("no fdloop-wrk line"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WrkResult.parse("fdloop-wrk requests=1 bytes=x"));
        assertThrows(IllegalArgumentException.class, () -> WrkResult.parse("fdloop-wrk requests=1"));
        WrkResult few = WrkResult.parse(REPORT.replace("p99_us=2048.5 p999_us=4096.0", "p99_us=0.0 p999_us=0.0"));
        assertTrue(Double.isNaN(few.p99Us()) && Double.isNaN(few.p999Us()), "wrk's 0 for a percentile it cannot tell: " + few);
        WrkResult blank = WrkResult.parse(REPORT.replace("p50_us=512.0 p99_us=2048.5 p999_us=4096.0", "p50_us=0.0 p99_us=0.0 p999_us=0.0"));
        assertTrue(Double.isNaN(blank.p50Us()) && Double.isNaN(blank.p99Us()) && blank.maxUs() == 9000.0, blank.toString());
    }

    @Test
    void shouldWriteScriptsThatPipelineWalkTheCorpusAndReport() {
        String plain = WrkScript.requests("/hot-4k.bin", 1);
        assertTrue(plain.startsWith("wrk.path = \"/hot-4k.bin\"") && plain.contains("done = function"), plain);
        String pipelined = WrkScript.requests("/hot-13b.txt", 16);
        assertTrue(pipelined.contains("for i = 1, 16 do") && pipelined.contains("wrk.format(nil, \"/hot-13b.txt\")"), pipelined);
        String cold = WrkScript.cold(1024, 64);
        assertTrue(cold.contains("(issued % 1024)") && cold.contains("answered >= 960") && cold.contains("wrk.thread:stop()"), cold);
        assertTrue(WrkScript.probe("/hot-4k.bin", 2).contains("return 2"));
        assertTrue(plain.contains("latency:percentile(99)") && plain.contains(WrkResult.LINE_PREFIX + " requests="), plain);
    }

    @Test
    void shouldConfigureNginxAsTheIssueAsks() {
        String hot = Nginx.config(Path.of("/p"), Path.of("/srv"), 8080, null);
        for (String directive : List.of("daemon off;", "worker_processes 1;", "sendfile on;", "tcp_nopush on;",
                "open_file_cache max=10000;", "keepalive_requests 1000000;", "access_log off;",
                "listen 127.0.0.1:8080;", "root /srv;", "pid /p/nginx.pid;")) {
            assertTrue(hot.contains(directive), directive + " missing from\n" + hot);
        }
        assertFalse(hot.contains("aio on;"), hot);
        String cold = Nginx.config(Path.of("/p"), Path.of("/srv"), 8080, "aio on");
        assertTrue(cold.contains("aio on;") && cold.contains("directio 4m;"), cold);
        assertTrue(Nginx.config(Path.of("/p"), Path.of("/srv"), 8080, "aio threads").contains("aio threads;"));
    }

    @Test
    void shouldLayOutTheCorpusReadableByAllAndRemoveIt() throws IOException {
        Path root;
        try (Corpus corpus = Corpus.create(3L * Corpus.COLD_FILE_BYTES)) {
            root = corpus.root();
            assertEquals("Hello, World!", Files.readString(root.resolve("hot-13b.txt")));
            assertEquals(4096, Files.size(root.resolve("hot-4k.bin")));
            assertEquals(65536, Files.size(root.resolve("hot-64k.bin")));
            assertEquals(1 << 20, Files.size(root.resolve("hot-1m.bin")));
            assertEquals(3, corpus.coldFiles());
            assertEquals(Corpus.COLD_FILE_BYTES, Files.size(root.resolve("cold/2.bin")));
            assertFalse(Files.mismatch(root.resolve("cold/0.bin"), root.resolve("cold/1.bin")) == -1);
            assertEquals("rw-r--r--", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(root.resolve("hot-4k.bin"))));
        }
        assertFalse(Files.exists(root));
    }

    @Test
    void shouldNameCasesAndRefuseUnknownOnes() {
        assertEquals(List.of(HttpCase.values()), HttpCase.parseAll(null));
        assertEquals(List.of(HttpCase.PIPELINE_13B, HttpCase.COLD_4M), HttpCase.parseAll(List.of("pipeline-13b", " cold-4m")));
        assertEquals(16, HttpCase.PIPELINE_13B.pipeline());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpCase.parseAll(List.of("warm")));
        assertTrue(e.getMessage().contains("unknown --http case warm") && e.getMessage().contains("hot-64k"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HttpJob(List.of(HttpCase.HOT_4K), 0, 1_000_000_000L, 0));
        assertThrows(IllegalArgumentException.class, () -> new HttpJob(List.of(HttpCase.HOT_4K), 64, 100_000_000L, 0));
    }

    @Test
    void shouldSkipFdloopServeUntilItExistsAndUseItOnceItDoes() {
        List<HttpEngine> without = HttpEngines.all(new FdloopCommands(Map.of()));
        assertEquals(List.of("fdloop-epoll", "fdloop-uring", "nginx", "jwebserver", "netty-http"),
                without.stream().map(HttpEngine::name).toList());
        assertTrue(without.getFirst().unavailableBecause().startsWith("not yet available: this build has no `fdloop serve`"));
        Set<String> options = Set.of("--root", "--bind", "--port", "--loops", "--mechanism", "--directio",
                "--keepalive-requests");
        HttpEngine fdloop = HttpEngines.all(new FdloopCommands(Map.of("serve", options))).getFirst();
        assertNull(fdloop.unavailableBecause());
        assertEquals(List.of("nginx", "jwebserver", "netty-http"), fdloop.baselines());
        String uring = HttpEngines.all(new FdloopCommands(Map.of("serve", options))).get(1).unavailableBecause();
        assertEquals(io.fdloop.net.NetMechanism.URING.isAvailable() ? null
                : "the uring socket mechanism is unavailable here: " + io.fdloop.net.NetMechanism.URING.unavailabilityCause(), uring);
        assertEquals(null, HttpEngines.mechanismMissing("epoll"));
        assertEquals("no socket mechanism is called carrier-pigeon", HttpEngines.mechanismMissing("carrier-pigeon"));
    }

    @Test
    void shouldFlagErrorsAndUnsaturatedServersButNotTheDiskBoundColdCase() {
        WrkResult clean = WrkResult.parse(REPORT.replace("read=2", "read=0").replace("status=5", "status=0")
                .replace("timeout=1", "timeout=0"));
        ProcessUsage busy = new ProcessUsage(1_000_000_000L, 980_000_000L, 10, 2, 1 << 20);
        ProcessUsage idle = new ProcessUsage(1_000_000_000L, 300_000_000L, 10, 2, 1 << 20);
        Contention quiet = new Contention(0.01, 0.02);
        assertEquals("", result(HttpCase.HOT_4K, clean, busy, quiet).note());
        assertEquals("UNSATURATED", result(HttpCase.HOT_4K, clean, idle, quiet).flag());
        assertEquals("", result(HttpCase.COLD_4M, clean, idle, quiet).note());
        assertEquals("ERRORS", result(HttpCase.HOT_4K, WrkResult.parse(REPORT), busy, quiet).flag());
        assertEquals("SHARED-CORES", result(HttpCase.HOT_4K, clean, busy, new Contention(0.3, 0)).flag());
    }

    private static HttpResult result(HttpCase c, WrkResult wrk, ProcessUsage server, Contention contention) {
        return new HttpResult("nginx", List.of(), c, wrk, null, server, contention, 500_000_000L, 0, List.of("nginx"));
    }
}
