package io.fdloop.cli;

import io.fdloop.FileBackendChoice;
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
import java.util.Locale;

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
            FileBackendChoice choice = FileBackendChoice.valueOf(backend.toUpperCase(Locale.ROOT));
            assumeTrue(choice.isAvailable(), () -> backend + " is unavailable here: " + choice.unavailabilityCause());
        }
        Path file = dir.resolve("demo.dat");
        Run run = run("demo", "--backend", backend, "--count", "300", "--file", file.toString());
        assertEquals(0, run.exitCode, run.out);
        assertTrue(run.out.contains("demo: 300 writes, 300 reads completed via eventfd+epoll; data verified"), run.out);
        String expected = backend.equals("auto") ? FileBackendChoice.autoFor(true).name().toLowerCase(Locale.ROOT) : backend;
        assertTrue(run.out.contains("backend " + expected), run.out);
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
        for (String backend : new String[]{"aio", "uring", "threads"}) {
            assertTrue(run.out.contains("\"" + backend + "\": {\"available\": "), run.out);
        }
        assertTrue(run.out.contains("\"auto\": {\"direct\": \""), run.out);
        assertTrue(run.out.contains("\"o_direct\": "), run.out);
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
