package io.fdloop.internal.http;

import io.fdloop.http.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.fdloop.internal.http.TestTree.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conditional requests in RFC 9110 13.2.2 order, ranges, multipart framing and precompressed siblings. */
class ConditionalRangeTest {
    private static final String LAST_MODIFIED = "Thu, 04 Mar 2021 05:06:07 GMT";
    private static final String EARLIER = "Wed, 03 Mar 2021 05:06:07 GMT";
    private static final String LATER = "Fri, 05 Mar 2021 05:06:07 GMT";

    @TempDir
    static Path base;
    static TestTree tree;
    static SessionHarness server;
    static String etag;

    @BeforeAll
    static void start() throws Exception {
        tree = new TestTree(base);
        server = new SessionHarness(ServerOptions.builder(tree.root).maxRanges(8).build());
        etag = server.connect().one(get("/data.bin")).header("ETag");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static Response fetch(String target, String... fields) throws Exception {
        return server.connect().one(get(target, fields));
    }

    private static int status(String... fields) throws Exception {
        return fetch("/data.bin", fields).status();
    }

    @Test
    void shouldEvaluatePreconditionsInRfc9110Order() throws Exception {
        String other = "\"nope\"";
        // If-Match first: it decides alone over If-Unmodified-Since
        assertEquals(200, status("If-Match: " + etag));
        assertEquals(200, status("If-Match: *"));
        assertEquals(412, status("If-Match: " + other));
        assertEquals(412, status("If-Match: W/" + etag), "If-Match compares strongly");
        assertEquals(200, status("If-Match: " + etag, "If-Unmodified-Since: " + EARLIER), "IUS ignored after If-Match");
        assertEquals(412, status("If-Match: " + other, "If-Unmodified-Since: " + LATER));
        // then If-Unmodified-Since
        assertEquals(200, status("If-Unmodified-Since: " + LAST_MODIFIED));
        assertEquals(200, status("If-Unmodified-Since: " + LATER));
        assertEquals(412, status("If-Unmodified-Since: " + EARLIER));
        assertEquals(200, status("If-Unmodified-Since: not a date"), "an invalid date is ignored");
        // If-None-Match
        assertEquals(304, status("If-None-Match: " + etag));
        assertEquals(304, status("If-None-Match: W/" + etag), "If-None-Match compares weakly");
        assertEquals(304, status("If-None-Match: \"a\", " + etag));
        assertEquals(304, status("If-None-Match: *"));
        assertEquals(200, status("If-None-Match: " + other));
        assertEquals(412, status("If-Match: " + other, "If-None-Match: " + etag), "412 before 304");
        // If-Modified-Since only without If-None-Match
        assertEquals(304, status("If-Modified-Since: " + LAST_MODIFIED));
        assertEquals(304, status("If-Modified-Since: " + LATER));
        assertEquals(200, status("If-Modified-Since: " + EARLIER));
        assertEquals(200, status("If-Modified-Since: garbage"));
        assertEquals(200, status("If-None-Match: " + other, "If-Modified-Since: " + LATER), "IMS ignored after INM");
        assertEquals(304, status("If-None-Match: " + etag, "If-Modified-Since: " + EARLIER));
        // a precondition beats a Range
        assertEquals(304, status("If-None-Match: " + etag, "Range: bytes=0-1"));
        assertEquals(412, status("If-Match: " + other, "Range: bytes=0-1"));
    }

    @Test
    void shouldSendValidatorsWithoutABodyOn304() throws Exception {
        Response r = fetch("/data.bin", "If-None-Match: " + etag);
        assertEquals(304, r.status());
        assertEquals(0, r.body().length);
        assertEquals(etag, r.header("ETag"));
        assertEquals(LAST_MODIFIED, r.header("Last-Modified"));
        assertNull(r.header("Content-Length"));
        Response head = server.connect().one("HEAD /data.bin HTTP/1.1\r\nHost: t\r\nIf-Modified-Since: " + LATER + "\r\n\r\n");
        assertEquals(304, head.status());
    }

    @Test
    void shouldServeSingleRangesByteExactly() throws Exception {
        byte[] d = tree.data;
        long n = d.length;
        Object[][] cases = {
                {"bytes=0-0", 0L, 0L}, {"bytes=0-99", 0L, 99L}, {"bytes=100-", 100L, n - 1}, {"bytes=-100", n - 100, n - 1},
                {"bytes=199990-300000", 199990L, n - 1}, {"bytes=-999999", 0L, n - 1}, {"bytes=65530-65545", 65530L, 65545L},
        };
        for (Object[] c : cases) {
            Response r = fetch("/data.bin", "Range: " + c[0]);
            long from = (Long) c[1];
            long to = (Long) c[2];
            assertEquals(206, r.status(), (String) c[0]);
            assertEquals("bytes " + from + "-" + to + "/" + n, r.header("Content-Range"));
            assertEquals(String.valueOf(to - from + 1), r.header("Content-Length"));
            assertArrayEquals(Arrays.copyOfRange(d, (int) from, (int) to + 1), r.body(), (String) c[0]);
            assertEquals(etag, r.header("ETag"));
        }
    }

    @Test
    void shouldAnswerUnsatisfiableRangesWith416() throws Exception {
        for (String range : new String[] {"bytes=200000-", "bytes=300000-300001", "bytes=-0", "bytes=abc"}) {
            Response r = fetch("/data.bin", "Range: " + range);
            assertEquals(416, r.status(), range);
            assertEquals("bytes */200000", r.header("Content-Range"));
            assertEquals("keep-alive", r.header("Connection"));
        }
    }

    @Test
    void shouldServeTheWholeForOverlappingOrTooManyRangesOrOtherUnits() throws Exception {
        for (String range : new String[] {"bytes=0-150000,100000-199999", "items=0-1",
                "bytes=0-0,2-2,4-4,6-6,8-8,10-10,12-12,14-14,16-16"}) {
            Response r = fetch("/data.bin", "Range: " + range);
            assertEquals(200, r.status(), range);
            assertArrayEquals(tree.data, r.body());
        }
        Response head = server.connect().one("HEAD /data.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=0-1\r\n\r\n");
        assertEquals(200, head.status(), "Range is for GET only");
    }

    @Test
    void shouldFrameMultipleRangesAsMultipartByteranges() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 20; round++) {
            int count = 2 + random.nextInt(7);
            List<long[]> asked = new ArrayList<>();
            StringBuilder range = new StringBuilder("bytes=");
            long pos = 0;
            for (int i = 0; i < count; i++) {
                long start = pos + random.nextInt(20000);
                long end = Math.min(tree.data.length - 1, start + random.nextInt(9000));
                if (start >= tree.data.length) {
                    break;
                }
                asked.add(new long[] {start, end});
                range.append(i == 0 ? "" : ",").append(start).append('-').append(end);
                pos = end + 1;
            }
            Response r = fetch("/data.bin", "Range: " + range);
            if (asked.size() == 1) {
                assertEquals(206, r.status());
                continue;
            }
            assertEquals(206, r.status(), range.toString());
            String type = r.header("Content-Type");
            assertTrue(type.startsWith("multipart/byteranges; boundary="), type);
            String boundary = type.substring(type.indexOf('=') + 1);
            assertEquals(String.valueOf(r.body().length), r.header("Content-Length"));
            List<byte[]> parts = parseMultipart(r.body(), boundary, asked);
            assertEquals(asked.size(), parts.size());
            for (int i = 0; i < asked.size(); i++) {
                long[] a = asked.get(i);
                assertArrayEquals(Arrays.copyOfRange(tree.data, (int) a[0], (int) a[1] + 1), parts.get(i), "part " + i);
            }
        }
    }

    /** An independent reading of RFC 9110 14.6 framing: checks each part's fields and returns its bytes. */
    private static List<byte[]> parseMultipart(byte[] body, String boundary, List<long[]> asked) {
        List<byte[]> parts = new ArrayList<>();
        int at = 0;
        for (long[] a : asked) {
            String expectedHead = "\r\n--" + boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes "
                    + a[0] + "-" + a[1] + "/" + tree.data.length + "\r\n\r\n";
            String actual = new String(body, at, expectedHead.length(), StandardCharsets.ISO_8859_1);
            assertEquals(expectedHead, actual);
            at += expectedHead.length();
            int length = (int) (a[1] - a[0] + 1);
            parts.add(Arrays.copyOfRange(body, at, at + length));
            at += length;
        }
        String close = "\r\n--" + boundary + "--\r\n";
        assertEquals(close, new String(body, at, body.length - at, StandardCharsets.ISO_8859_1));
        return parts;
    }

    @Test
    void shouldApplyRangesOnlyWhenIfRangeHolds() throws Exception {
        assertEquals(206, status("Range: bytes=0-1", "If-Range: " + etag));
        assertEquals(200, status("Range: bytes=0-1", "If-Range: \"stale\""));
        assertEquals(200, status("Range: bytes=0-1", "If-Range: W/" + etag), "If-Range compares strongly");
        assertEquals(206, status("Range: bytes=0-1", "If-Range: " + LAST_MODIFIED));
        assertEquals(200, status("Range: bytes=0-1", "If-Range: " + LATER), "a date must equal Last-Modified");
        assertEquals(200, status("Range: bytes=0-1", "If-Range: " + EARLIER));
    }

    @Test
    void shouldServePrecompressedSiblingsAsAcceptEncodingAllows() throws Exception {
        Object[][] cases = {
                {null, TestTree.APP_JS, null},
                {"gzip", TestTree.APP_JS_GZ, "gzip"},
                {"br", TestTree.APP_JS_BR, "br"},
                {"gzip, br", TestTree.APP_JS_BR, "br"},
                {"gzip, deflate, br, zstd", TestTree.APP_JS_BR, "br"},
                {"br;q=0.5, gzip", TestTree.APP_JS_GZ, "gzip"},
                {"br;q=0, gzip;q=0", TestTree.APP_JS, null},
                {"br;q=0", TestTree.APP_JS, null},
                {"*", TestTree.APP_JS_BR, "br"},
                {"*;q=0.1, identity", TestTree.APP_JS, null},
                {"*;q=0", TestTree.APP_JS, null},
                {"identity;q=0, gzip;q=0.2", TestTree.APP_JS_GZ, "gzip"},
                {"x-gzip", TestTree.APP_JS_GZ, "gzip"},
                {"GZIP;Q=1.0", TestTree.APP_JS_GZ, "gzip"},
                {"gzip;q=2", TestTree.APP_JS, null},
                {"deflate", TestTree.APP_JS, null},
                {"", TestTree.APP_JS, null},
        };
        List<String> tags = new ArrayList<>();
        for (Object[] c : cases) {
            Response r = c[0] == null ? fetch("/app.js") : fetch("/app.js", "Accept-Encoding: " + c[0]);
            assertEquals(200, r.status());
            assertEquals(c[1], r.bodyText(), String.valueOf(c[0]));
            assertEquals(c[2], r.header("Content-Encoding"), String.valueOf(c[0]));
            assertEquals("Accept-Encoding", r.header("Vary"));
            assertEquals("application/javascript; charset=utf-8", r.header("Content-Type"));
            if (!tags.contains(r.header("ETag"))) {
                tags.add(r.header("ETag"));
            }
        }
        assertEquals(3, tags.size(), "one entity tag per representation: " + tags);
    }

    @Test
    void shouldApplyRangesAndConditionsToTheEncodedRepresentation() throws Exception {
        Response gz = fetch("/app.js", "Accept-Encoding: gzip");
        Response part = fetch("/app.js", "Accept-Encoding: gzip", "Range: bytes=5-9");
        assertEquals(206, part.status());
        assertEquals("gzip", part.header("Content-Encoding"));
        assertEquals("bytes 5-9/" + TestTree.APP_JS_GZ.length(), part.header("Content-Range"));
        assertEquals(TestTree.APP_JS_GZ.substring(5, 10), part.bodyText());
        assertEquals(304, fetch("/app.js", "Accept-Encoding: gzip", "If-None-Match: " + gz.header("ETag")).status());
        Response identity = fetch("/app.js", "If-None-Match: " + gz.header("ETag"));
        assertEquals(200, identity.status(), "another representation's tag does not match");
        assertEquals("Accept-Encoding", fetch("/app.js", "If-None-Match: " + gz.header("ETag"), "Accept-Encoding: gzip")
                .header("Vary"), "a 304 carries Vary");
        Response unsatisfiable = fetch("/app.js", "Accept-Encoding: br", "Range: bytes=1000-");
        assertEquals(416, unsatisfiable.status());
        assertEquals("bytes */" + TestTree.APP_JS_BR.length(), unsatisfiable.header("Content-Range"));
    }
}
