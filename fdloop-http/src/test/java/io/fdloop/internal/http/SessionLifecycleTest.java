package io.fdloop.internal.http;

import io.fdloop.http.ServerOptions;
import io.fdloop.internal.http.response.BodyPart;
import io.fdloop.internal.http.response.ResponsePlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.fdloop.internal.http.TestTree.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connections over time: pipelining, keep-alive, flow control, end of input, timeouts, the cache. */
class SessionLifecycleTest {
    @TempDir
    Path base;

    private static final String[] TARGETS = {"/hello.txt", "/style.css", "/nope", "/dir", "/app.js", "/", "/empty.txt"};

    private static String pipelined(int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append(get(TARGETS[i % TARGETS.length]));
        }
        return sb.toString();
    }

    private static List<String> summaries(List<byte[]> responses) {
        List<String> out = new ArrayList<>();
        for (byte[] raw : responses) {
            Response r = Response.parse(raw);
            out.add(r.status() + " " + r.header("Content-Length") + " " + r.header("ETag") + " " + r.bodyText());
        }
        return out;
    }

    @Test
    void shouldAnswerPipelinedRequestsInOrderWhateverTheLookupsTake() throws Exception {
        TestTree tree = new TestTree(base);
        try (SessionHarness server = new SessionHarness(ServerOptions.builder(tree.root).build())) {
            SessionHarness.Conn cold = server.connect();
            cold.send(pipelined(21)); // nothing cached yet: lookups finish in any order
            List<String> first = summaries(raw(cold.await(21)));
            SessionHarness.Conn warm = server.connect();
            warm.send(pipelined(21)); // now mostly from the cache
            assertEquals(first, summaries(raw(warm.await(21))));
            for (int i = 0; i < 21; i++) {
                String target = TARGETS[i % TARGETS.length];
                int expected = switch (target) {
                    case "/nope" -> 404;
                    case "/dir" -> 301;
                    default -> 200;
                };
                assertTrue(first.get(i).startsWith(expected + " "), target + ": " + first.get(i));
            }
        }
    }

    private static Path realRoot(TestTree tree) {
        try {
            return tree.root.toRealPath();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<byte[]> raw(List<Response> responses) {
        return responses.stream().map(Response::raw).toList();
    }

    @Test
    void shouldGiveTheSameResponsesWhereverAPipelinedStreamIsCut() throws Exception {
        TestTree tree = new TestTree(base);
        try (SessionHarness server = new SessionHarness(ServerOptions.builder(tree.root).build())) {
            byte[] stream = (get("/hello.txt") + "HEAD /style.css HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                    + "GET /dir/a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody" + get("/app.js", "Accept-Encoding: br")
                    + "GET /hello.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=1-3\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            SessionHarness.Conn whole = server.connect();
            whole.send(stream);
            List<String> expected = summaries(raw(whole.await(5)));
            whole.awaitClosed();
            for (int cut = 1; cut < stream.length; cut++) {
                SessionHarness.Conn c = server.connect();
                c.sendCut(stream, cut);
                assertEquals(expected, summaries(raw(c.await(5))), "cut at " + cut);
                c.awaitClosed();
            }
            SessionHarness.Conn bytewise = server.connect();
            int[] cuts = new int[stream.length - 1];
            Arrays.setAll(cuts, i -> i + 1);
            bytewise.sendCut(stream, cuts);
            assertEquals(expected, summaries(raw(bytewise.await(5))));
        }
    }

    @Test
    void shouldKeepAliveOrCloseAsVersionAndFieldsSay() throws Exception {
        TestTree tree = new TestTree(base);
        try (SessionHarness server = new SessionHarness(ServerOptions.builder(tree.root).keepAliveRequests(3).build())) {
            SessionHarness.Conn http10 = server.connect();
            Response r10 = http10.one("GET /hello.txt HTTP/1.0\r\n\r\n");
            assertEquals("close", r10.header("Connection"));
            http10.awaitClosed();

            SessionHarness.Conn http10ka = server.connect();
            assertEquals("keep-alive", http10ka.one("GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").header("Connection"));
            assertFalse(http10ka.closed());

            SessionHarness.Conn close = server.connect();
            close.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" + get("/style.css"));
            assertEquals("close", close.await(1).getFirst().header("Connection"));
            close.awaitClosed();
            assertEquals(1, close.transport.responses().size(), "nothing is read after Connection: close");

            SessionHarness.Conn limited = server.connect();
            limited.send(pipelined(5));
            List<Response> three = limited.await(3);
            limited.awaitClosed();
            assertEquals(List.of("keep-alive", "keep-alive", "close"),
                    three.stream().map(r -> r.header("Connection")).toList(), "keepAliveRequests is 3");
            assertEquals(3, limited.transport.responses().size());
        }
    }

    @Test
    void shouldPauseReadingWhenTooManyRequestsAreQueuedAndResumeAfter() throws Exception {
        TestTree tree = new TestTree(base);
        try (SessionHarness server = new SessionHarness(ServerOptions.builder(tree.root).maxPipelinedRequests(4)
                .openFileCacheEntries(0).build())) {
            SessionHarness.Conn c = server.connect();
            c.send(pipelined(40));
            List<Response> all = c.await(40);
            assertEquals(40, all.size());
            assertTrue(c.transport.pauses() >= 1, "reading paused at least once");
            assertEquals(c.transport.pauses(), c.transport.resumes(), "every pause was resumed");
            server.run(() -> assertEquals(0, c.session.queued()));
        }
    }

    @Test
    void shouldAbortAConnectionThatKeepsSendingWhileReadingIsPaused() throws Exception {
        TestTree tree = new TestTree(base);
        try (SessionHarness server = new SessionHarness(ServerOptions.builder(tree.root).maxPipelinedRequests(1)
                .openFileCacheEntries(0).build())) {
            SessionHarness.Conn c = server.connect();
            byte[] flood = new byte[600_000];
            Arrays.fill(flood, (byte) 'x');
            server.run(() -> { // one loop task: the first lookup cannot finish in between
                c.session.received(MemorySegment.ofArray(get("/hello.txt").getBytes(StandardCharsets.US_ASCII)));
                assertEquals(1, c.transport.pauses(), "one queued request fills a pipeline of one");
                c.session.received(MemorySegment.ofArray(flood)); // a transport may deliver once more...
                c.session.received(MemorySegment.ofArray(flood)); // ...but not without end
            });
            c.awaitClosed();
            assertTrue(c.transport.wasAborted());
        }
    }

    @Test
    void shouldServeWhatArrivedBeforeTheInputEndedThenClose() throws Exception {
        TestTree tree = new TestTree(base);
        try (SessionHarness server = new SessionHarness(ServerOptions.builder(tree.root).build())) {
            SessionHarness.Conn c = server.connect();
            c.send(pipelined(3) + "GET /hello.tx").end();
            assertEquals(3, c.await(3).size());
            c.awaitClosed();
            assertEquals(3, c.transport.responses().size(), "a request cut off by the end of input is not answered");
            SessionHarness.Conn idle = server.connect();
            idle.end();
            idle.awaitClosed();
        }
    }

    @Test
    void shouldFinishQueuedResponsesOnShutdownAndCloseIdleConnectionsAtOnce() throws Exception {
        TestTree tree = new TestTree(base);
        try (SessionHarness server = new SessionHarness(ServerOptions.builder(tree.root).openFileCacheEntries(0).build())) {
            SessionHarness.Conn idle = server.connect();
            idle.one(get("/hello.txt"));
            SessionHarness.Conn busy = server.connect();
            server.run(() -> {
                busy.session.received(MemorySegment.ofArray(pipelined(4).getBytes(StandardCharsets.US_ASCII)));
                server.context.drain();
                busy.session.shutdown();
                idle.session.shutdown();
            });
            idle.awaitClosed();
            assertEquals(4, busy.await(4).size());
            busy.awaitClosed();
        }
    }

    @Test
    void shouldCloseSlowHeadsAndIdleConnectionsWhenTheirTimeoutsPass() throws Exception {
        TestTree tree = new TestTree(base);
        Path log = base.resolve("access.log");
        ServerOptions options = ServerOptions.builder(tree.root).headerReadTimeout(Duration.ofMillis(200))
                .keepAliveTimeout(Duration.ofMillis(300)).accessLog(log).build();
        try (SessionHarness server = new SessionHarness(options)) {
            SessionHarness.Conn silent = server.connect(); // never sends a byte
            SessionHarness.Conn slowloris = server.connect();
            slowloris.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n");
            SessionHarness.Conn idle = server.connect();
            idle.one(get("/hello.txt"));
            silent.awaitClosed();
            slowloris.awaitClosed();
            idle.awaitClosed();
            assertEquals(0, slowloris.transport.responses().size(), "a timed-out head gets no response");
            assertFalse(idle.transport.wasAborted(), "an idle connection closes gracefully");
        }
        String lines = Files.readString(log);
        assertTrue(lines.contains("\"-\" 408 0"), lines);
        assertTrue(lines.contains("\"GET /hello.txt HTTP/1.1\" 200 13"), lines);
    }

    @Test
    void shouldNotTimeOutAConnectionThatKeepsSendingRequests() throws Exception {
        TestTree tree = new TestTree(base);
        ServerOptions options = ServerOptions.builder(tree.root).keepAliveTimeout(Duration.ofMillis(400)).build();
        try (SessionHarness server = new SessionHarness(options)) {
            SessionHarness.Conn c = server.connect();
            for (int i = 0; i < 12; i++) {
                c.one(get("/hello.txt"));
                Thread.sleep(50);
                assertFalse(c.closed(), "closed after request " + i + " although never idle for long");
            }
        }
    }

    @Test
    void shouldReuseCachedFilesAndSeeChangesOnceTheEntryExpires() throws Exception {
        TestTree tree = new TestTree(base);
        try (SessionHarness server = new SessionHarness(ServerOptions.builder(tree.root)
                .openFileCacheValidity(Duration.ofDays(1)).build())) {
            SessionHarness.Conn c = server.connect();
            Response first = c.one(get("/hello.txt"));
            server.run(() -> assertEquals(1, server.lookups.cache().size()));
            Files.delete(tree.root.resolve("hello.txt"));
            TestTree.write(tree.root.resolve("hello.txt"), "replaced\n");
            Response cached = c.one(get("/hello.txt"));
            assertEquals(first.header("ETag"), cached.header("ETag"), "the cached open file is still served whole");
            assertEquals(TestTree.HELLO, cached.bodyText());
            server.run(() -> server.lookups.cache().invalidate("/hello.txt"));
            Response fresh = c.one(get("/hello.txt"));
            assertEquals("replaced\n", fresh.bodyText());
            c.one(get("/dir/a.txt"));
            c.one(get("/style.css"));
            server.run(() -> {
                server.lookups.cache().invalidateFile(realRoot(tree).resolve("dir"));
                assertEquals(2, server.lookups.cache().size(), "what a watcher reports for dir/ drops dir/a.txt only");
            });
        }
        try (SessionHarness uncached = new SessionHarness(ServerOptions.builder(tree.root)
                .openFileCacheValidity(Duration.ZERO).build())) {
            SessionHarness.Conn c = uncached.connect();
            c.one(get("/hello.txt"));
            TestTree.write(tree.root.resolve("hello.txt"), "again\n");
            assertEquals("again\n", c.one(get("/hello.txt")).bodyText());
        }
    }

    @Test
    void shouldEndAResponseWhoseFileShrankAndServeTheFileAnewAfter() throws Exception {
        TestTree tree = new TestTree(base);
        Path log = base.resolve("access.log");
        try (SessionHarness server = new SessionHarness(ServerOptions.builder(tree.root).accessLog(log)
                .openFileCacheValidity(Duration.ofDays(1)).build())) {
            assertArrayEquals(tree.data, server.connect().one(get("/data.bin")).body()); // now cached, open
            try (var channel = java.nio.channels.FileChannel.open(tree.root.resolve("data.bin"),
                    java.nio.file.StandardOpenOption.WRITE)) {
                channel.truncate(100_000);
            }
            SessionHarness.Conn c = server.connect();
            c.send(get("/data.bin"));
            c.awaitClosed();
            assertEquals(0, c.transport.responses().size(), "a response cut short is never complete");
            Response fresh = server.connect().one(get("/data.bin"));
            assertEquals(200, fresh.status());
            assertArrayEquals(Arrays.copyOf(tree.data, 100_000), fresh.body(), "looked up again, not served from the cache");
        }
        String lines = Files.readString(log);
        assertTrue(lines.contains("\"GET /data.bin HTTP/1.1\" 200 65536 "), lines);
    }

    @Test
    void shouldCloseFilesOnlyOnceNoResponseNeedsThem() throws Exception {
        TestTree tree = new TestTree(base);
        try (SessionHarness server = new SessionHarness(ServerOptions.builder(tree.root).openFileCacheEntries(1).build())) {
            SessionHarness.Conn c = server.connect();
            c.one(get("/hello.txt"));
            c.one(get("/data.bin")); // evicts hello.txt from the one-entry cache
            List<ResponsePlan> plans = c.transport.plans();
            BodyPart.FileRegion hello = (BodyPart.FileRegion) plans.getFirst().body().getFirst();
            BodyPart.FileRegion data = (BodyPart.FileRegion) plans.get(1).body().getFirst();
            server.await("the evicted file to close", () -> !hello.file().isOpen());
            assertTrue(server.onLoop(data.file()::isOpen), "the cached one stays open");
            server.run(() -> server.lookups.cache().clear());
            server.await("the cleared file to close", () -> !data.file().isOpen());
        }
    }

    @Test
    void shouldReadLargeFilesWithDirectIoAboveTheThreshold() throws Exception {
        TestTree tree = new TestTree(base);
        try (SessionHarness server = new SessionHarness(ServerOptions.builder(tree.root).directIoThreshold(100_000).build())) {
            SessionHarness.Conn c = server.connect();
            Response whole = c.one(get("/data.bin"));
            assertArrayEquals(tree.data, whole.body());
            Response range = c.one(get("/data.bin", "Range: bytes=1001-70001,150001-"));
            assertEquals(206, range.status());
            BodyPart.FileRegion big = (BodyPart.FileRegion) c.transport.plans().getFirst().body().getFirst();
            c.one(get("/hello.txt"));
            BodyPart.FileRegion small = (BodyPart.FileRegion) c.transport.plans().get(2).body().getFirst();
            assertFalse(small.file().isDirect(), "below the threshold: buffered");
            String fs = Files.getFileStore(tree.root).type();
            System.out.println("directio on " + fs + ": " + (big.file().isDirect() ? "O_DIRECT" : "refused, buffered"));
        }
    }

    @Test
    void shouldServeAFloodOfPipelinedRequestsWithoutGrowingTheStack() throws Exception {
        TestTree tree = new TestTree(base);
        try (SessionHarness server = new SessionHarness(ServerOptions.builder(tree.root).keepAliveRequests(1_000_000)
                .build())) {
            SessionHarness.Conn c = server.connect();
            // 404s and redirects are written at once by the recording transport: sent() arrives inside send()
            String flood = ("HEAD /nope HTTP/1.1\r\nHost: x\r\n\r\n" + get("/dir")).repeat(10_000);
            c.send(flood);
            assertEquals(20_000, c.await(20_000).size());
            assertFalse(c.closed());
        }
    }

    @Test
    void shouldRefuseATransportThatReportsPlansOutOfOrder() throws Exception {
        TestTree tree = new TestTree(base);
        try (SessionHarness server = new SessionHarness(ServerOptions.builder(tree.root).build())) {
            SessionHarness.Conn c = server.connect();
            c.one(get("/hello.txt"));
            ResponsePlan done = c.transport.plans().getFirst();
            Throwable e = server.onLoop(() -> {
                try {
                    c.session.sent(done); // reported twice
                    return null;
                } catch (IllegalStateException refused) {
                    return refused;
                }
            });
            assertTrue(e instanceof IllegalStateException, String.valueOf(e));
            assertTrue(e.getMessage().contains("in order"), e.getMessage());
        }
    }
}
