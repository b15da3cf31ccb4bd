package io.fdloop.internal.http;

import io.fdloop.http.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.fdloop.internal.http.TestTree.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random, mutated, truncated and oversized input, cut at random places: the engine never fails, every
 * answer is a well-formed response with a status it may give, every connection ends once its input
 * does, and a good request is answered afterwards (on the same connection when nothing closed it).
 */
class FuzzTest {
    private static final Set<Integer> STATUSES = Set.of(200, 206, 301, 304, 400, 403, 404, 405, 411, 412, 413, 414,
            416, 431, 501, 505);
    private static final String[] METHODS = {"GET", "HEAD", "POST", "OPTIONS", "get", "BREW", "G E T", ""};
    private static final String[] TARGETS = {"/", "/hello.txt", "/data.bin", "/app.js", "/dir", "/dir/", "/nope",
            "/../outside/secret.txt", "/%2e%2e/x", "http://h/hello.txt", "/escape/", "/.secret", "/leak.txt",
            "/dir/we%3Cird%3E%26%22name'.txt", "/hello.txt?x=../"};
    private static final String[] BAD_TARGETS = {"/a%2fb", "/a%00", "/%", "*", "/" + "z".repeat(3000)};
    private static final String[] VERSIONS = {"HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1", "http/1.1", ""};
    private static final String[] FIELDS = {"Connection: keep-alive", "Range: bytes=0-10",
            "Range: bytes=-5,1-2", "Range: bytes=x", "Range: bytes=0-0,0-0", "If-None-Match: *", "If-Match: \"x\"",
            "If-Modified-Since: Thu, 04 Mar 2021 05:06:07 GMT", "If-Range: \"y\"", "Accept-Encoding: br, gzip;q=0.5",
            "Accept-Encoding: *;q=0", "Content-Length: 3", "Content-Length: 0", "User-Agent: fuzz \"quoted\" \\",
            "Referer: http://r/\u00e9"};
    private static final String[] BAD_FIELDS = {"Connection: close", "Host: a", "Host:", "Content-Length: -1", "Transfer-Encoding: chunked",
            " folded", "Bad Name: x", "X: \u0001", "X-Long: " + "L".repeat(5000)};

    @TempDir
    Path base;

    @Test
    void shouldAnswerAnythingWithoutFailingAndKeepServing() throws Exception {
        TestTree tree = new TestTree(base);
        ServerOptions options = ServerOptions.builder(tree.root).listing(true).maxHeaderBytes(8192).maxTargetBytes(2048)
                .maxPipelinedRequests(4).accessLog(base.resolve("fuzz.log")).build();
        Random random = new Random(20240610);
        int closedByError = 0;
        int keptAlive = 0;
        try (SessionHarness server = new SessionHarness(options)) {
            for (int round = 0; round < 1500; round++) {
                byte[] input = input(random);
                byte[] good = get("/hello.txt").getBytes(StandardCharsets.US_ASCII);
                byte[] all = concat(input, good);
                SessionHarness.Conn c = server.connect();
                c.sendCut(all, cuts(random, all.length));
                c.end();
                c.awaitClosed();
                final int r = round;
                assertFalse(c.transport.wasAborted(), () -> "round " + r + ": the session failed on " + show(input));
                List<byte[]> raw = c.transport.responses();
                for (byte[] bytes : raw) {
                    Response response = Response.parse(bytes);
                    assertTrue(STATUSES.contains(response.status()), () -> "round " + r + ": " + response + " for " + show(input));
                    String length = response.header("Content-Length");
                    if (length != null && response.body().length != 0) {
                        assertEquals(Long.parseLong(length), response.body().length, () -> "round " + r + ": " + response);
                    }
                    assertTrue(Set.of("keep-alive", "close").contains(response.header("Connection")), response::toString);
                }
                Response last = raw.isEmpty() ? null : Response.parse(raw.getLast());
                if (last != null && last.status() == 200 && TestTree.HELLO.equals(last.bodyText())) {
                    keptAlive++;
                } else {
                    closedByError++;
                    Response fresh = server.connect().one(get("/hello.txt"));
                    assertEquals(200, fresh.status(), () -> "round " + r + ": the next connection was not served");
                    assertEquals(TestTree.HELLO, fresh.bodyText());
                }
            }
        }
        assertTrue(keptAlive > 100 && closedByError > 100, "both kinds of outcome were exercised: " + keptAlive
                + " kept alive, " + closedByError + " closed");
    }

    private static byte[] input(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> {
                byte[] b = new byte[random.nextInt(600)];
                random.nextBytes(b);
                yield b;
            }
            case 1, 2 -> mutate(random, request(random));
            case 3 -> {
                byte[] r = request(random);
                yield java.util.Arrays.copyOf(r, random.nextInt(r.length + 1)); // truncated
            }
            case 4 -> ("GET /" + "o".repeat(random.nextInt(12000)) + " HTTP/1.1\r\nHost: t\r\nX: "
                    + "v".repeat(random.nextInt(12000)) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            default -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int n = 1 + random.nextInt(6);
                for (int i = 0; i < n; i++) {
                    out.writeBytes(request(random));
                }
                yield out.toByteArray();
            }
        };
    }

    private static byte[] request(Random random) {
        StringBuilder sb = new StringBuilder();
        String method = random.nextInt(6) == 0 ? pick(random, METHODS) : random.nextBoolean() ? "GET" : "HEAD";
        String target = random.nextInt(6) == 0 ? pick(random, BAD_TARGETS) : pick(random, TARGETS);
        sb.append(method).append(' ').append(target).append(' ')
                .append(random.nextInt(8) == 0 ? pick(random, VERSIONS) : "HTTP/1.1").append("\r\n");
        if (random.nextInt(12) != 0) {
            sb.append("Host: test\r\n");
        }
        int fields = random.nextInt(5);
        boolean body = false;
        for (int i = 0; i < fields; i++) {
            String f = random.nextInt(8) == 0 ? pick(random, BAD_FIELDS) : pick(random, FIELDS);
            body |= f.equals("Content-Length: 3");
            sb.append(f).append("\r\n");
        }
        sb.append("\r\n");
        if (body) {
            sb.append("abc");
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] mutate(Random random, byte[] in) {
        byte[] b = in.clone();
        int edits = 1 + random.nextInt(4);
        byte[] specials = {'\r', '\n', 0, ' ', ':', '\t', '%', '/', '.', (byte) 0xff, 0x7f, '"'};
        for (int i = 0; i < edits && b.length > 0; i++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(4)) {
                case 0 -> b[at] = specials[random.nextInt(specials.length)];
                case 1 -> b[at] = (byte) random.nextInt(256);
                case 2 -> {
                    byte[] shorter = new byte[b.length - 1];
                    System.arraycopy(b, 0, shorter, 0, at);
                    System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                    b = shorter;
                }
                default -> {
                    byte[] longer = new byte[b.length + 1];
                    System.arraycopy(b, 0, longer, 0, at);
                    longer[at] = specials[random.nextInt(specials.length)];
                    System.arraycopy(b, at, longer, at + 1, b.length - at);
                    b = longer;
                }
            }
        }
        return b;
    }

    private static int[] cuts(Random random, int length) {
        int n = length < 2 ? 0 : random.nextInt(Math.min(6, length));
        return random.ints(n, 1, Math.max(2, length)).sorted().distinct().toArray();
    }

    private static String pick(Random random, String[] options) {
        return options[random.nextInt(options.length)];
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String show(byte[] input) {
        String s = new String(input, 0, Math.min(input.length, 300), StandardCharsets.ISO_8859_1);
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
