package io.fdloop.internal.http;

import io.fdloop.http.HttpServer;
import io.fdloop.http.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.fdloop.internal.http.TestTree.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The server's limits and its ways of ending connections, over real loopback connections: the header and
 * keep-alive timeouts, the send timeout, maxConnections, a client that resets in mid-body, a file truncated
 * while it is being sent, the graceful shutdown, the access log and its reopening, and ten thousand
 * connections at once. Waits are bounded; nothing asserts how long anything took.
 */
class HttpServerLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int BIG = 16 << 20;

    @TempDir
    Path base;

    private TestTree tree;

    private HttpServer start(ServerOptions.Builder options) throws IOException {
        return HttpServer.start(options.port(0).loops(1).build());
    }

    private ServerOptions.Builder options() throws IOException {
        tree = new TestTree(base);
        return ServerOptions.builder(tree.root);
    }

    private byte[] bigFile(String name) throws IOException {
        byte[] content = new byte[BIG];
        new Random(1).nextBytes(content);
        Files.write(tree.root.resolve(name), content);
        return content;
    }

    @Test
    void shouldCloseSlowHeadsAndIdleConnectionsWhenTheirTimeoutsPass() throws Exception {
        try (HttpServer server = start(options().headerReadTimeout(Duration.ofMillis(300))
                .keepAliveTimeout(Duration.ofMillis(300)))) {
            try (WireClient slowloris = new WireClient(server.localAddress())) {
                slowloris.send("GET /hello.txt HTTP/1.1\r\nHost: te");
                assertTrue(slowloris.endsWithin(0), "a head that never ends is cut off");
            }
            try (WireClient trickle = new WireClient(server.localAddress())) {
                CompletableFuture<Boolean> ended = CompletableFuture.supplyAsync(() -> {
                    try {
                        return trickle.endsWithin(0);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                byte[] head = ("GET /hello.txt HTTP/1.1\r\nHost: test\r\nX-Slow: " + "x".repeat(400))
                        .getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < head.length && !ended.isDone(); i++) { // bounded: 440 bytes, 25 ms apart
                    try {
                        trickle.send(new byte[] {head[i]});
                    } catch (IOException reset) {
                        break; // the server closed after its FIN: the reader sees the end too
                    }
                    Thread.sleep(25);
                }
                assertTrue(ended.get(WAIT.toSeconds(), TimeUnit.SECONDS), "a head trickling in byte by byte is cut off too");
            }
            try (WireClient idle = new WireClient(server.localAddress())) {
                assertEquals(200, idle.exchange(get("/hello.txt")).status());
                assertTrue(idle.endsWithin(0), "an idle kept-alive connection is closed");
            }
            awaitTrue("the connections to be gone", () -> server.openConnections() == 0);
        }
    }

    @Test
    void shouldResetAConnectionWhoseClientStopsReadingForTheSendTimeout() throws Exception {
        ServerOptions.Builder options = options().sendTimeout(Duration.ofMillis(500));
        bigFile("big.bin");
        try (HttpServer server = start(options);
             WireClient stalled = new WireClient(server.localAddress(), 4096)) {
            stalled.send(get("/big.bin"));
            awaitTrue("the connection to be accepted", () -> server.openConnections() == 1);
            awaitTrue("the server to give up on the stalled client", () -> server.openConnections() == 0);
            IOException cut = assertThrows(IOException.class, () -> stalled.socket.getInputStream().readNBytes(BIG + 1024),
                    "the response was cut short");
            assertFalse(cut instanceof java.net.SocketTimeoutException, "by a reset, not by the client's patience: " + cut);
            try (WireClient next = new WireClient(server.localAddress())) {
                assertEquals(TestTree.HELLO, next.exchange(get("/hello.txt")).bodyText());
            }
        }
    }

    @Test
    void shouldRefuseConnectionsBeyondMaxConnectionsAndAcceptAgainOnceOneCloses() throws Exception {
        try (HttpServer server = start(options().maxConnections(3))) {
            WireClient[] held = new WireClient[3];
            for (int i = 0; i < held.length; i++) {
                held[i] = new WireClient(server.localAddress());
                assertEquals(200, held[i].exchange(get("/hello.txt")).status());
            }
            try (WireClient refused = new WireClient(server.localAddress())) {
                assertTrue(refused.endsWithin(0), "the fourth connection is closed at once");
            }
            assertTrue(server.refusedConnections() >= 1);
            held[0].close();
            awaitTrue("a slot to free", () -> server.openConnections() < 3);
            try (WireClient again = new WireClient(server.localAddress())) {
                assertEquals(200, again.exchange(get("/hello.txt")).status());
            }
            for (WireClient c : held) {
                c.close();
            }
        }
    }

    @Test
    void shouldSurviveAClientResetInMidBody() throws Exception {
        ServerOptions.Builder options = options();
        bigFile("big.bin");
        try (HttpServer server = start(options)) {
            for (int round = 0; round < 3; round++) {
                WireClient c = new WireClient(server.localAddress(), 16 * 1024);
                c.send(get("/big.bin"));
                InputStream in = c.socket.getInputStream();
                assertEquals(200 * 1024, in.readNBytes(200 * 1024).length);
                c.socket.setSoLinger(true, 0); // close with a RST in the middle of the body
                c.close();
            }
            awaitTrue("the reset connections to be gone", () -> server.openConnections() == 0);
            try (WireClient next = new WireClient(server.localAddress())) {
                assertEquals(BIG, next.exchange(get("/big.bin")).body().length, "still serving, whole");
            }
        }
    }

    @Test
    void shouldEndAResponseWhoseFileIsTruncatedWhileBeingSentAndServeItAnewAfter() throws Exception {
        ServerOptions.Builder options = options();
        bigFile("shrinking.bin");
        try (HttpServer server = start(options)) {
            try (WireClient c = new WireClient(server.localAddress(), 16 * 1024)) {
                c.send(get("/shrinking.bin"));
                InputStream in = c.socket.getInputStream();
                in.readNBytes(64 * 1024);
                try (RandomAccessFile file = new RandomAccessFile(tree.root.resolve("shrinking.bin").toFile(), "rw")) {
                    file.setLength(1 << 20);
                }
                long received = 64 * 1024;
                try {
                    byte[] buffer = new byte[64 * 1024];
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        received += n;
                    }
                } catch (IOException reset) {
                    // the server resets the connection: its announced length can no longer be met
                }
                assertTrue(received < BIG, "the response ended early: " + received);
            }
            try (WireClient next = new WireClient(server.localAddress())) {
                Response again = next.exchange(get("/shrinking.bin"));
                assertEquals(200, again.status());
                assertEquals(1 << 20, again.body().length, "looked up anew");
            }
        }
    }

    @Test
    void shouldFinishResponsesInFlightWhenStoppingGracefully() throws Exception {
        ServerOptions.Builder options = options();
        byte[] content = bigFile("big.bin");
        HttpServer server = start(options);
        try (WireClient downloading = new WireClient(server.localAddress(), 16 * 1024);
             WireClient idle = new WireClient(server.localAddress())) {
            assertEquals(200, idle.exchange(get("/hello.txt")).status());
            downloading.send(get("/big.bin"));
            InputStream in = downloading.socket.getInputStream();
            byte[] first = in.readNBytes(64 * 1024);
            CompletableFuture<Void> stopped = server.shutdown();
            assertTrue(idle.endsWithin(0), "an idle connection closes at once");
            idle.close(); // as a client does on the server's FIN, which ends the server's lingering
            assertThrows(IOException.class, () -> {
                try (WireClient late = new WireClient(server.localAddress())) {
                    late.exchange(get("/hello.txt"));
                }
            }, "no new connection is served");
            assertFalse(stopped.isDone(), "the download holds the stop");
            Response whole = Response.parse(concat(first, in.readAllBytes())); // to the server's FIN after it
            downloading.close();
            assertEquals(200, whole.status());
            assertEquals(HttpServerTest.sha256(content), HttpServerTest.sha256(whole.body()), "the download finished whole");
            stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            server.close();
        }
    }

    @Test
    void shouldWriteTheAccessLogAndReopenItAfterARotation() throws Exception {
        Path log = base.resolve("access.log");
        Path rotated = base.resolve("access.log.1");
        ServerOptions.Builder options = options().accessLog(log);
        try (HttpServer server = start(options)) {
            try (WireClient c = new WireClient(server.localAddress())) {
                c.exchange(get("/hello.txt", "User-Agent: before-rotation", "Referer: http://r/"));
                c.exchange(get("/nope"));
            }
            awaitTrue("the lines to be written", () -> lines(log).size() == 2);
            Files.move(log, rotated);
            server.reopenAccessLog();
            awaitTrue("the log to be reopened", () -> Files.exists(log));
            try (WireClient c = new WireClient(server.localAddress())) {
                c.exchange(get("/app.js", "User-Agent: after-rotation"));
            }
        }
        List<String> before = lines(rotated);
        assertTrue(before.get(0).matches("127\\.0\\.0\\.1 - - \\[[^]]+] \"GET /hello\\.txt HTTP/1\\.1\" 200 13 "
                + "\"http://r/\" \"before-rotation\""), before.get(0));
        assertTrue(before.get(1).contains("\"GET /nope HTTP/1.1\" 404 "), before.get(1));
        List<String> after = lines(log);
        assertEquals(1, after.size(), after.toString());
        assertTrue(after.getFirst().contains("\"GET /app.js HTTP/1.1\" 200 " + TestTree.APP_JS.length()
                + " \"-\" \"after-rotation\""), after.getFirst());
    }

    @Test
    void shouldServeTenThousandConnectionsAtOnce() throws Exception {
        int connections = 10_000;
        long limit = FdLimit.current();
        assumeTrue(limit >= connections + 1000, "RLIMIT_NOFILE is " + limit + ": the server needs " + connections
                + " fds and some to spare (the clients run in a child process with a limit of their own)");
        try (HttpServer server = start(options().maxConnections(connections))) {
            Process clients = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ManyClients.class.getName(),
                    server.localAddress().getAddress().getHostAddress(), String.valueOf(server.localAddress().getPort()),
                    String.valueOf(connections)).redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8));
                String line = CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).get(120, TimeUnit.SECONDS);
                assertEquals("served " + connections, line);
                assertEquals(connections, server.openConnections(), "all of them open at once");
                try (WireClient oneMore = new WireClient(server.localAddress())) {
                    assertTrue(oneMore.endsWithin(0), "the next is refused");
                }
                clients.getOutputStream().close(); // the clients close their connections and exit
                assertTrue(clients.waitFor(60, TimeUnit.SECONDS));
                awaitTrue("the connections to be gone", () -> server.openConnections() == 0);
            } finally {
                clients.destroyForcibly();
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
