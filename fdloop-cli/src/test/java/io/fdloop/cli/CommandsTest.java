package io.fdloop.cli;

import io.fdloop.file.FileBackend;
import io.fdloop.cli.bench.FioEngine;
import io.fdloop.cli.bench.JsonParser;
import io.fdloop.cli.bench.Rw;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The commands, run in-process against the real kernel, as a user runs them. */
class CommandsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"aio", "uring", "threads", "auto"})
    void shouldEndTheDemoWithTheVerifiedLineOnEveryBackend(String backend) throws Exception {
        if (!backend.equals("auto")) {
            FileBackend choice = FileBackend.valueOf(backend.toUpperCase(Locale.ROOT));
            assumeTrue(choice.isAvailable(), () -> backend + " is unavailable here: " + choice.unavailabilityCause());
        }
        Path file = dir.resolve("demo.dat");
        Run run = run("demo", "--backend", backend, "--count", "300", "--file", file.toString());
        assertEquals(0, run.exitCode, run.out);
        assertTrue(run.out.contains("demo: 300 writes, 300 reads completed via eventfd+epoll; data verified"), run.out);
        String expected = backend.equals("auto") ? FileBackend.autoFor(true).name().toLowerCase(Locale.ROOT) : backend;
        assertTrue(run.out.contains("backend " + expected), run.out);
    }

    @Test
    void shouldSayInOneLineWhatIsWrongWithAnOption() {
        Run run = run("bench", "--bs", "3x");
        assertEquals(2, run.exitCode);
        assertEquals(2, run.err.strip().lines().count(), run.err);
        assertTrue(run.err.contains("a size is a positive number with an optional k, m, g or t, was 3x"), run.err);
    }

    @Test
    void shouldRefuseABlockSizeDirectIoCannotUseBeforeLayingAnythingOut() throws Exception {
        Path file = Files.write(dir.resolve("bench.dat"), new byte[1 << 16]);
        Run run = run("bench", "--file", file.toString(), "--size", "64k", "--bs", "1000", "--runtime", "100ms");
        assertEquals(2, run.exitCode, run.out);
        assertTrue(run.err.contains("--bs 1000 is not a multiple of"), run.err);
        assertEquals(1 << 16, Files.size(file));
    }

    @Test
    void shouldSayInOneLineThatTheWorkingDirectoryTakesNoScratchFile() throws Exception {
        // procfs takes no new file, even from root: a working directory nothing can be written to
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "demo", "--count", "10").directory(Path.of("/proc").toFile()).start();
        String err = new String(demo.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, demo.waitFor());
        assertTrue(err.startsWith("demo: cannot create a scratch file in /proc"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }

    @Test
    void shouldRefuseBufferedIoOnLinuxAioInTheDemo() throws Exception {
        Run run = run("demo", "--backend", "aio", "--no-direct", "--count", "10", "--file", dir.resolve("x").toString());
        assertEquals(2, run.exitCode);
        assertTrue(run.err.contains("synchronously inside io_submit"), run.err);
    }

    @Test
    void shouldDescribeTheHostAsJson() throws Exception {
        Run run = run("info", dir.toString(), "--json");
        assertEquals(0, run.exitCode, run.err);
        Object info = JsonParser.parse(run.out);
        for (String backend : new String[]{"aio", "uring", "threads"}) {
            assertTrue(JsonParser.at(info, "backends", backend, "available") instanceof Boolean, run.out);
        }
        for (String mechanism : new String[]{"epoll", "uring"}) {
            assertTrue(JsonParser.at(info, "sockets", mechanism, "available") instanceof Boolean, run.out);
        }
        assertTrue(JsonParser.at(info, "auto", "direct") instanceof String, run.out);
        assertTrue(JsonParser.at(info, "auto", "sockets") instanceof String, run.out);
        assertTrue(JsonParser.at(info, "path", "o_direct") instanceof Boolean, run.out);
    }

    @Test
    void shouldBenchDevZeroAndLeaveNoFileBehind() throws Exception {
        Run run = run("bench", "--file", "/dev/zero", "--rw", "read", "--qd", "4", "--runtime", "300ms",
                "--warmup", "100ms", "--engines", "fdloop-aio,fdloop-threads", "--json");
        assertEquals(0, run.exitCode, run.err);
        assertTrue(run.out.contains("\"engine\": \"fdloop-aio\"") && run.out.contains("\"iops\": "), run.out);

        Path cwdBefore = Path.of("").toAbsolutePath();
        long filesBefore;
        try (var files = Files.list(cwdBefore)) {
            filesBefore = files.count();
        }
        Run temporary = run("bench", "--size", "1m", "--qd", "2", "--runtime", "200ms", "--warmup", "0s",
                "--engines", "fdloop-threads");
        assertEquals(0, temporary.exitCode, temporary.err);
        try (var files = Files.list(cwdBefore)) {
            assertEquals(filesBefore, files.count(), "bench removed its temporary file");
        }
        assertFalse(temporary.out.isBlank());
    }

    @Test
    void shouldParseBenchOptionsInFiosVocabulary() {
        BenchCommand bench = new BenchCommand();
        new CommandLine(bench).parseArgs("--rw", "randrw", "--bs", "64k", "--qd", "1,4,16,64", "--direct=0",
                "--size", "1g", "--runtime", "10s", "--ops", "1000", "--engines", "fdloop-aio,jdk-async", "--verify",
                "--json", "--plot", "out.png");
        assertEquals(Rw.RANDRW, bench.rw);
        assertEquals(64 * 1024, bench.blockSize);
        assertEquals(List.of(1, 4, 16, 64), bench.queueDepths);
        assertFalse(bench.direct);
        assertEquals(1L << 30, bench.size);
        assertEquals(10_000_000_000L, bench.runtimeNs);
        assertEquals(1000, bench.ops);
        assertEquals(List.of("fdloop-aio", "jdk-async"), bench.engines);
        assertTrue(bench.verify && bench.json);
        assertEquals(Path.of("out.png"), bench.plot);

        BenchCommand defaults = new BenchCommand();
        new CommandLine(defaults).parseArgs();
        assertEquals(Rw.RANDREAD, defaults.rw);
        assertEquals(List.of(32), defaults.queueDepths);
        assertTrue(defaults.direct);
        assertEquals(256L << 20, defaults.size);
        assertEquals(0, defaults.ops);

        BenchCommand buffered = new BenchCommand();
        new CommandLine(buffered).parseArgs("--no-direct");
        assertFalse(buffered.direct);
    }

    @Test
    void shouldRefuseUnknownEnginesBadValuesAndVerifyOnDevZero() {
        Run engine = run("bench", "--engines", "fdloop-aio,nope");
        assertEquals(2, engine.exitCode);
        assertTrue(engine.err.contains("unknown engine nope") && engine.err.contains("jdk-filechannel-vt"), engine.err);

        Run rw = run("bench", "--rw", "trim");
        assertEquals(2, rw.exitCode);
        assertTrue(rw.err.contains("randrw"), rw.err);

        Run verify = run("bench", "--file", "/dev/zero", "--verify", "--engines", "jdk-filechannel");
        assertEquals(2, verify.exitCode);
        assertTrue(verify.err.contains("--verify needs a file or block device"), verify.err);

        Run depth = run("bench", "--file", "/dev/zero", "--size", "64k", "--qd", "32", "--engines", "jdk-filechannel");
        assertEquals(2, depth.exitCode);
        assertTrue(depth.err.contains("queue depth 32"), depth.err);
    }

    @Test
    void shouldPrintEveryJsonFieldForEachEngineAndQueueDepth() {
        Run run = run("bench", "--file", "/dev/zero", "--rw", "read", "--qd", "1,2", "--ops", "500", "--warmup", "0s",
                "--engines", "fdloop-threads,jdk-filechannel-vt", "--json");
        assertEquals(0, run.exitCode, run.err);
        List<?> rows = (List<?>) JsonParser.parse(run.out);
        assertEquals(4, rows.size(), run.out);
        for (Object row : rows) {
            Map<?, ?> object = (Map<?, ?>) row;
            for (String field : List.of("engine", "rw", "bs", "qd", "iops", "mib_s", "p50_us", "p99_us", "p999_us",
                    "cpu_us_per_op", "ctx_per_op", "threads", "alloc_b_per_op")) {
                assertTrue(object.containsKey(field), field + " missing from " + object);
            }
            assertEquals(500.0, object.get("ops"));
            assertEquals("read", object.get("rw"));
        }
        assertEquals(List.of(1.0, 1.0, 2.0, 2.0), rows.stream().map(r -> ((Map<?, ?>) r).get("qd")).toList());
    }

    @Test
    void shouldPutFiosRowsAndTheRatiosBesideFdloopsWithVsFio() {
        String missing = new FioEngine("libaio").unavailableBecause();
        assumeTrue(missing == null, () -> "fio: " + missing);
        assumeTrue(FileBackend.AIO.isAvailable(), "Linux AIO");
        Run run = run("bench", "--file", "/dev/zero", "--rw", "read", "--qd", "4", "--runtime", "200ms", "--warmup", "0s",
                "--engines", "fdloop-aio", "--vs-fio", "--json");
        assertEquals(0, run.exitCode, run.err);
        List<?> rows = (List<?>) JsonParser.parse(run.out);
        List<?> engines = rows.stream().map(r -> ((Map<?, ?>) r).get("engine")).toList();
        assertEquals("fdloop-aio", engines.getFirst());
        assertEquals("fio-libaio", engines.get(1), "fio's libaio row right after fdloop-aio: " + engines);
        assertTrue(engines.contains("fio-uring") || run.err.contains("skipping fio-uring"), run.out + run.err);
        assertTrue(JsonParser.at(rows.getFirst(), "vs_fio", "iops") instanceof Double, run.out);
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
            int code = Main.commandLine().execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }
}
