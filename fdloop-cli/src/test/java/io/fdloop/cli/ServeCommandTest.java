package io.fdloop.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fdloop serve} as a user runs it: a child process that prints where it serves, answers what
 * {@code curl} would ask (here through the JDK's HttpClient), reopens its access log on SIGHUP, and exits 0
 * on SIGTERM after a graceful stop.
 */
class ServeCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void shouldServeFilesReopenTheLogOnSighupAndExitZeroOnSigterm() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("hello.txt"), "hello, world\n");
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>\n");
        byte[] big = new byte[3 * 1024 * 1024 + 5];
        new Random(8).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Files.createDirectories(root.resolve("empty-dir"));
        Path log = dir.resolve("access.log");
        Process server = serve("--root", root.toString(), "--port", "0", "--loops", "2", "--access-log", log.toString(),
                "--directio", "1m");
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            Matcher serving = Pattern.compile("serving (.+) on http://127\\.0\\.0\\.1:(\\d+)/").matcher(firstLine(server));
            assertTrue(serving.matches(), serving.toString());
            assertEquals(root.toRealPath().toString(), Path.of(serving.group(1)).toRealPath().toString());
            String base = "http://127.0.0.1:" + serving.group(2);

            HttpResponse<String> hello = http.send(request(base + "/hello.txt").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, hello.statusCode());
            assertEquals("hello, world\n", hello.body());
            assertEquals("text/plain; charset=utf-8", hello.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("<h1>home</h1>\n", http.send(request(base + "/").build(), HttpResponse.BodyHandlers.ofString()).body());
            HttpResponse<byte[]> whole = http.send(request(base + "/big.bin").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertArrayEquals(big, whole.body(), "read with O_DIRECT (--directio 1m), byte-exact");
            HttpResponse<String> range = http.send(request(base + "/hello.txt").header("Range", "bytes=7-11").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(206, range.statusCode());
            assertEquals("world", range.body());
            HttpResponse<Void> head = http.send(request(base + "/big.bin").method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.discarding());
            assertEquals(String.valueOf(big.length), head.headers().firstValue("Content-Length").orElseThrow());
            assertEquals(404, http.send(request(base + "/nope").build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(403, http.send(request(base + "/empty-dir/").build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode(), "no listing unless --listing");

            await("the access log", () -> lines(log).size() >= 7);
            Path rotated = dir.resolve("access.log.1");
            Files.move(log, rotated);
            signal(server, "HUP");
            await("the access log to be reopened", () -> Files.exists(log));
            http.send(request(base + "/hello.txt?after-rotation").build(), HttpResponse.BodyHandlers.discarding());

            server.destroy(); // SIGTERM
            assertTrue(server.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the server exited after SIGTERM");
            assertEquals(0, server.exitValue(), "graceful exit");
            assertTrue(lines(rotated).getFirst().contains("\"GET /hello.txt HTTP/1.1\" 200 13 "), lines(rotated).toString());
            assertEquals(1, lines(log).size(), lines(log).toString());
            assertTrue(lines(log).getFirst().contains("\"GET /hello.txt?after-rotation HTTP/1.1\" 200 13 "), lines(log).toString());
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void shouldRefuseWrongOptionsSayingWhy() throws Exception {
        assertFails(2, "--mechanism must be one of", "--port", "0", "--mechanism", "carrier-pigeon");
        assertFails(2, "--directio takes off or a size", "--port", "0", "--directio", "lots");
        assertFails(2, "port must be between 0 and 65535", "--port", "70000");
        assertFails(1, "the root to serve does not exist", "--port", "0", "--root", dir.resolve("missing").toString());
    }

    private void assertFails(int status, String message, String... args) throws Exception {
        Process server = serve(args);
        try {
            assertTrue(server.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
            String output = new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(status, server.exitValue(), output);
            assertTrue(output.contains(message), output);
        } finally {
            server.destroyForcibly();
        }
    }

    private static Process serve(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String firstLine(Process server) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return String.valueOf(out.readLine());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static HttpRequest.Builder request(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30));
    }

    private static void signal(Process process, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
        assertTrue(kill.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue(), "kill -" + signal);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
