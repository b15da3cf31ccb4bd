package io.fdloop.internal.http;

import io.fdloop.http.HttpServer;
import io.fdloop.http.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.fdloop.internal.http.TestTree.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every HTTP feature of the server over real loopback connections: a plain socket speaking HTTP by hand
 * ({@link WireClient}) where the exact bytes and the connection's fate matter, the JDK's HttpClient for
 * whole bodies. Two servers share one root: one buffered (with listing, two loops, a short pipeline so
 * reading pauses and resumes), one reading files of 64 KiB and more with O_DIRECT.
 */
class HttpServerTest {
    private static final int[] SIZES = {13, 4096, 65535, 65536, 65537, 1 << 20, (4 << 20) + 77};
    private static final Set<Integer> STATUSES = Set.of(200, 206, 301, 304, 400, 403, 404, 405, 411, 412, 413, 414,
            416, 431, 501, 505);

    @TempDir
    static Path base;
    static TestTree tree;
    static final Map<String, byte[]> FILES = new LinkedHashMap<>();
    static HttpServer buffered;
    static HttpServer direct;
    static HttpClient http;

    @BeforeAll
    static void start() throws IOException {
        tree = new TestTree(base);
        Random random = new Random(10);
        for (int size : SIZES) {
            byte[] content = new byte[size];
            random.nextBytes(content);
            String name = "size-" + size + ".bin";
            Files.write(tree.root.resolve(name), content);
            FILES.put("/" + name, content);
        }
        buffered = HttpServer.start(ServerOptions.builder(tree.root).port(0).loops(2).listing(true)
                .maxPipelinedRequests(8).build());
        direct = HttpServer.start(ServerOptions.builder(tree.root).port(0).loops(1).directIoThreshold(64 * 1024).build());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(20)).build();
    }

    @AfterAll
    static void stop() {
        if (buffered != null) {
            buffered.close();
        }
        if (direct != null) {
            direct.close();
        }
        if (http != null) {
            http.close();
        }
    }

    @Test
    void shouldAnswerPipelinedRequestsInOrderOnOneKeptAliveConnection() throws Exception {
        String[] targets = {"/hello.txt", "/size-4096.bin", "/nope", "/data.bin", "/app.js", "/size-65537.bin", "/dir",
                "/size-13.bin"};
        StringBuilder pipeline = new StringBuilder();
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < 60; i++) { // far more than the 8 the server parses ahead: reading pauses and resumes
            String target = targets[i % targets.length];
            asked.add(target);
            pipeline.append(get(target));
        }
        try (WireClient c = new WireClient(buffered.localAddress())) {
            c.send(pipeline.toString());
            for (int i = 0; i < asked.size(); i++) {
                Response r = c.read();
                String target = asked.get(i);
                assertEquals("keep-alive", r.header("Connection"), target);
                switch (target) {
                    case "/nope" -> assertEquals(404, r.status());
                    case "/dir" -> assertEquals(301, r.status());
                    case "/hello.txt" -> assertEquals(TestTree.HELLO, r.bodyText());
                    case "/data.bin" -> assertArrayEquals(tree.data, r.body());
                    case "/app.js" -> assertEquals(TestTree.APP_JS, r.bodyText());
                    default -> assertArrayEquals(FILES.get(target), r.body(), target + " at " + i);
                }
            }
            assertEquals(200, c.exchange(get("/hello.txt")).status(), "still alive after the burst");
        }
    }

    @Test
    void shouldCloseHttp10UnlessKeepAliveIsAsked() throws Exception {
        try (WireClient c = new WireClient(buffered.localAddress())) {
            Response r = c.exchange("GET /hello.txt HTTP/1.0\r\n\r\n");
            assertEquals(200, r.status());
            assertEquals("close", r.header("Connection"));
            assertTrue(c.endsWithin(0), "closed after the response");
        }
        try (WireClient c = new WireClient(buffered.localAddress())) {
            Response first = c.exchange("GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertEquals("keep-alive", first.header("Connection"));
            Response second = c.exchange("GET /app.js HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertEquals(TestTree.APP_JS, second.bodyText());
        }
    }

    @Test
    void shouldAnswerHeadWithTheHeadOfGetAndNoBody() throws Exception {
        try (WireClient c = new WireClient(direct.localAddress())) {
            Response get = c.exchange(get("/size-1048576.bin"));
            Response head = c.exchange("HEAD /size-1048576.bin HTTP/1.1\r\nHost: test\r\n\r\n");
            assertEquals(200, head.status());
            assertEquals(0, head.body().length);
            assertEquals(get.header("Content-Length"), head.header("Content-Length"));
            assertEquals(get.header("ETag"), head.header("ETag"));
            assertEquals(TestTree.HELLO, c.exchange(get("/hello.txt")).bodyText(), "nothing followed the head");
        }
    }

    @Test
    void shouldAnswerConditionalRequestsWith304And412() throws Exception {
        try (WireClient c = new WireClient(buffered.localAddress())) {
            Response r = c.exchange(get("/hello.txt"));
            String etag = r.header("ETag");
            Response notModified = c.exchange(get("/hello.txt", "If-None-Match: " + etag));
            assertEquals(304, notModified.status());
            assertEquals(0, notModified.body().length);
            assertEquals(etag, notModified.header("ETag"));
            Response sinceDate = c.exchange(get("/hello.txt", "If-Modified-Since: " + r.header("Last-Modified")));
            assertEquals(304, sinceDate.status());
            assertEquals(412, c.exchange(get("/hello.txt", "If-Match: \"someone-else\"")).status());
            assertEquals(412, c.exchange(get("/hello.txt", "If-Unmodified-Since: Mon, 01 Jan 2001 00:00:00 GMT")).status());
            assertEquals(200, c.exchange(get("/hello.txt", "If-Match: " + etag)).status());
        }
    }

    @Test
    void shouldServeSingleAndMultipleRangesByteExactlyFromBothKindsOfFile() throws Exception {
        Random random = new Random(3);
        byte[] content = FILES.get("/size-4194381.bin");
        for (HttpServer server : List.of(buffered, direct)) {
            try (WireClient c = new WireClient(server.localAddress())) {
                for (int round = 0; round < 12; round++) {
                    int start = random.nextInt(content.length);
                    int end = Math.min(content.length - 1, start + random.nextInt(300_000));
                    Response r = c.exchange(get("/size-4194381.bin", "Range: bytes=" + start + "-" + end));
                    assertEquals(206, r.status());
                    assertEquals("bytes " + start + "-" + end + "/" + content.length, r.header("Content-Range"));
                    assertEquals(sha256(Arrays.copyOfRange(content, start, end + 1)), sha256(r.body()), "round " + round);
                }
                Response suffix = c.exchange(get("/size-4194381.bin", "Range: bytes=-77"));
                assertArrayEquals(Arrays.copyOfRange(content, content.length - 77, content.length), suffix.body());

                List<int[]> ranges = List.of(new int[] {1, 700}, new int[] {5000, 5000}, new int[] {70_001, 1_200_000},
                        new int[] {4_000_000, content.length - 1});
                StringBuilder field = new StringBuilder("Range: bytes=");
                for (int[] range : ranges) {
                    field.append(range == ranges.getFirst() ? "" : ",").append(range[0]).append('-').append(range[1]);
                }
                Response multi = c.exchange(get("/size-4194381.bin", field.toString()));
                assertEquals(206, multi.status());
                String type = multi.header("Content-Type");
                assertTrue(type.startsWith("multipart/byteranges; boundary="), type);
                String boundary = type.substring(type.indexOf('=') + 1);
                List<byte[]> parts = multipartBodies(multi.body(), boundary, ranges.size());
                for (int i = 0; i < ranges.size(); i++) {
                    int[] range = ranges.get(i);
                    assertEquals(sha256(Arrays.copyOfRange(content, range[0], range[1] + 1)), sha256(parts.get(i)), "part " + i);
                }
                Response unsatisfiable = c.exchange(get("/size-13.bin", "Range: bytes=13-"));
                assertEquals(416, unsatisfiable.status());
                assertEquals("bytes */13", unsatisfiable.header("Content-Range"));
            }
        }
    }

    @Test
    void shouldServeSmallFilesFromMemoryByteExactlyWholeAndInRanges() throws Exception {
        byte[] small = FILES.get("/size-4096.bin");
        try (WireClient c = new WireClient(buffered.localAddress())) {
            for (int round = 0; round < 6; round++) { // the first goes by sendfile while the file loads; then from memory
                assertArrayEquals(small, c.exchange(get("/size-4096.bin")).body(), "round " + round);
                Response range = c.exchange(get("/size-4096.bin", "Range: bytes=" + (100 + round) + "-2999"));
                assertArrayEquals(Arrays.copyOfRange(small, 100 + round, 3000), range.body(), "round " + round);
                Response multi = c.exchange(get("/size-4096.bin", "Range: bytes=0-9,4000-"));
                List<byte[]> parts = multipartBodies(multi.body(), multi.header("Content-Type").split("boundary=")[1], 2);
                assertArrayEquals(Arrays.copyOfRange(small, 0, 10), parts.get(0));
                assertArrayEquals(Arrays.copyOfRange(small, 4000, 4096), parts.get(1));
                assertArrayEquals(FILES.get("/size-13.bin"), c.exchange(get("/size-13.bin")).body());
                Thread.sleep(5);
            }
        }
    }

    @Test
    void shouldServePrecompressedSiblingsWhenAcceptEncodingAllows() throws Exception {
        try (WireClient c = new WireClient(buffered.localAddress())) {
            Response br = c.exchange(get("/app.js", "Accept-Encoding: gzip, br"));
            assertEquals(TestTree.APP_JS_BR, br.bodyText());
            assertEquals("br", br.header("Content-Encoding"));
            assertEquals("Accept-Encoding", br.header("Vary"));
            Response gzip = c.exchange(get("/app.js", "Accept-Encoding: gzip"));
            assertEquals(TestTree.APP_JS_GZ, gzip.bodyText());
            assertEquals("gzip", gzip.header("Content-Encoding"));
            Response identity = c.exchange(get("/app.js"));
            assertEquals(TestTree.APP_JS, identity.bodyText());
            assertNull(identity.header("Content-Encoding"));
        }
    }

    @Test
    void shouldListDirectoriesWithEscapedNamesOnlyWhenListingIsOn() throws Exception {
        try (WireClient c = new WireClient(buffered.localAddress())) {
            Response listing = c.exchange(get("/dir/"));
            assertEquals(200, listing.status());
            String html = listing.bodyText();
            assertTrue(html.contains("<a href=\"a.txt\">a.txt</a>"), html);
            assertTrue(html.contains("we&lt;ird&gt;&amp;&quot;name&#39;.txt"), html);
            assertFalse(html.contains("<ird>"), html);
        }
        try (WireClient c = new WireClient(direct.localAddress())) {
            assertEquals(403, c.exchange(get("/dir/")).status(), "listing off");
            assertEquals("<p>sub</p>\n", c.exchange(get("/dir/sub/")).bodyText(), "index.html");
        }
    }

    @Test
    void shouldAnswerErrorsWithTheirStatusesAndCloseWhenTheyMust() throws Exception {
        try (WireClient c = new WireClient(buffered.localAddress())) {
            assertEquals(404, c.exchange(get("/nope.txt")).status());
            assertEquals(404, c.exchange(get("/.secret")).status(), "dotfiles are hidden");
            Response moved = c.exchange(get("/dir"));
            assertEquals(301, moved.status());
            assertEquals("/dir/", moved.header("Location"));
            Response post = c.exchange("POST /hello.txt HTTP/1.1\r\nHost: test\r\nContent-Length: 3\r\n\r\nabc");
            assertEquals(405, post.status());
            assertEquals("GET, HEAD", post.header("Allow"));
            Response unknown = c.exchange("BREW /pot HTTP/1.1\r\nHost: test\r\n\r\n");
            assertEquals(501, unknown.status());
            assertEquals("close", unknown.header("Connection"));
            assertTrue(c.endsWithin(0));
        }
        Map<String, Integer> closing = new LinkedHashMap<>();
        closing.put("GET / HTTP/1.1\r\n\r\n", 400);
        closing.put("GET /a%2fb HTTP/1.1\r\nHost: test\r\n\r\n", 400);
        closing.put("GET / HTTP/2.0\r\nHost: test\r\n\r\n", 505);
        closing.put("GET /" + "x".repeat(9000) + " HTTP/1.1\r\nHost: test\r\n\r\n", 414);
        closing.put("GET / HTTP/1.1\r\nHost: test\r\nX: " + "y".repeat(17_000) + "\r\n\r\n", 431);
        closing.put("GET / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 411);
        closing.put("GET / HTTP/1.1\r\nHost: test\r\nContent-Length: 2000000\r\n\r\n", 413);
        for (Map.Entry<String, Integer> e : closing.entrySet()) {
            try (WireClient c = new WireClient(buffered.localAddress())) {
                Response r = c.exchange(e.getKey() + get("/hello.txt"));
                String what = e.getKey().substring(0, Math.min(30, e.getKey().length()));
                assertEquals(e.getValue(), r.status(), what);
                assertEquals("close", r.header("Connection"), what);
                assertTrue(c.endsWithin(64 * 1024), "closed after " + what + ", nothing more answered");
            }
        }
    }

    @Test
    void shouldSendEveryByteOfEverySizeBufferedAndDirect() throws Exception {
        List<CompletableFuture<Void>> checks = new ArrayList<>();
        for (HttpServer server : List.of(buffered, direct)) {
            for (Map.Entry<String, byte[]> file : FILES.entrySet()) {
                for (int copy = 0; copy < 2; copy++) { // a few at once, over several connections
                    URI uri = uri(server, file.getKey());
                    String expected = sha256(file.getValue());
                    checks.add(http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.ofByteArray()).thenAccept(response -> {
                        assertEquals(200, response.statusCode(), uri.toString());
                        assertEquals(expected, sha256(response.body()), uri + " byte-exact");
                    }));
                }
            }
        }
        CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    }

    @Test
    void shouldNeverSendAByteFromOutsideTheRoot() throws Exception {
        for (String attack : TraversalTest.ATTACKS) {
            for (String method : new String[] {"GET", "HEAD"}) {
                try (WireClient c = new WireClient(buffered.localAddress())) {
                    c.send(method + " " + attack + " HTTP/1.1\r\nHost: test\r\nAccept-Encoding: gzip, br\r\n"
                            + "Range: bytes=0-5,7-9\r\n\r\n");
                    Response r = c.read(method.equals("HEAD"));
                    String raw = new String(r.raw(), StandardCharsets.ISO_8859_1);
                    assertFalse(raw.contains(TestTree.SECRET), () -> attack + " leaked:\n" + raw);
                    assertFalse(raw.contains("secret.txt") || raw.contains("inner.txt"), () -> attack + " named:\n" + raw);
                    assertTrue(r.status() >= 300 || attack.startsWith("/dir/up/root"), () -> attack + " was served:\n" + raw);
                }
            }
        }
    }

    @Test
    void shouldKeepAnsweringAfterRandomTruncatedAndOversizedInput() throws Exception {
        Random random = new Random(99);
        String[] requests = {get("/hello.txt"), get("/data.bin", "Range: bytes=0-10,20-30"), "HEAD /app.js HTTP/1.1\r\nHost: t\r\n\r\n",
                get("/dir/"), "GET /%2e%2e/x HTTP/1.0\r\n\r\n", get("/size-13.bin", "If-None-Match: *")};
        for (int round = 0; round < 150; round++) {
            byte[] input = switch (random.nextInt(5)) {
                case 0 -> randomBytes(random, 1 + random.nextInt(3000));
                case 1 -> mutate(random, requests[random.nextInt(requests.length)]);
                case 2 -> truncate(random, requests[random.nextInt(requests.length)]);
                case 3 -> ("GET /" + "a".repeat(10_000 + random.nextInt(20_000)) + " HTTP/1.1\r\n").getBytes(StandardCharsets.US_ASCII);
                default -> ("GET / HTTP/1.1\r\nHost: t\r\n" + "X-Filler: " + "f".repeat(1000) + "\r\n").repeat(20)
                        .getBytes(StandardCharsets.US_ASCII);
            };
            try (WireClient c = new WireClient(buffered.localAddress())) {
                c.send(input);
                c.socket.shutdownOutput(); // the server sees the end of the input, answers what it can, then closes
                byte[] answer = c.socket.getInputStream().readAllBytes();
                String text = new String(answer, StandardCharsets.ISO_8859_1);
                int at = 0;
                while ((at = text.indexOf("HTTP/1.1 ", at)) >= 0) {
                    int status = Integer.parseInt(text.substring(at + 9, at + 12));
                    final int r = round;
                    assertTrue(STATUSES.contains(status), () -> "round " + r + ": status " + status);
                    at += 12;
                }
            } catch (java.net.SocketException reset) {
                // a reset after an oversized head is allowed: the server refused to read more
            }
            try (WireClient good = new WireClient(buffered.localAddress())) {
                assertEquals(TestTree.HELLO, good.exchange(get("/hello.txt")).bodyText(), "round " + round);
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    static URI uri(HttpServer server, String path) {
        InetSocketAddress a = server.localAddress();
        return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + path);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bodies of a multipart/byteranges payload, each part's head skipped, framed by the boundary. */
    private static List<byte[]> multipartBodies(byte[] body, String boundary, int expected) {
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        List<byte[]> parts = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < expected; i++) {
            int start = indexOf(body, delimiter, at);
            assertTrue(start >= 0, "delimiter " + i);
            int headEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), start + delimiter.length);
            int next = indexOf(body, delimiter, headEnd + 4);
            parts.add(Arrays.copyOfRange(body, headEnd + 4, next));
            at = next;
        }
        String close = new String(body, at, body.length - at, StandardCharsets.US_ASCII);
        assertEquals("\r\n--" + boundary + "--\r\n", close);
        return parts;
    }

    /** Where {@code needle} starts at or after {@code from}; -1 if it does not. (A random part could hold it, but not here.) */
    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] mutate(Random random, String request) {
        byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static byte[] truncate(Random random, String request) {
        byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(bytes, random.nextInt(bytes.length));
    }
}
