package io.fdloop.internal.http.request;

import io.fdloop.http.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestParserTest {
    private static final ServerOptions OPTIONS = ServerOptions.builder(Path.of("/srv"))
            .maxHeaderBytes(4096).maxTargetBytes(1024).maxDiscardedBodyBytes(1000).build();

    /** Results of feeding {@code input} in the given pieces, as a session feeds its parser. */
    private static List<String> parseAll(byte[] input, int... cuts) {
        RequestParser parser = new RequestParser(OPTIONS);
        List<String> out = new ArrayList<>();
        byte[] buf = new byte[0];
        int start = 0;
        int end = 0;
        int from = 0;
        long discard = 0;
        int[] ends = Arrays.copyOf(cuts, cuts.length + 1);
        ends[cuts.length] = input.length;
        for (int to : ends) {
            buf = Arrays.copyOf(buf, end + (to - from));
            System.arraycopy(input, from, buf, end, to - from);
            end += to - from;
            from = to;
            while (true) {
                long skip = Math.min(discard, end - start);
                start += (int) skip;
                discard -= skip;
                if (discard > 0) {
                    break;
                }
                if (!parser.inHead()) {
                    start = RequestParser.skipEmptyLines(buf, start, end);
                }
                if (start == end) {
                    break;
                }
                int r = parser.parse(buf, start, end);
                if (r == RequestParser.NEED_MORE) {
                    break;
                }
                if (r == RequestParser.REJECTED) {
                    out.add(parser.rejection().status() + " " + parser.rejection().reason());
                    return out;
                }
                start += r;
                Request q = parser.request();
                out.add(q.method() + " " + q.target() + " " + q.version() + " host=" + q.host() + " keepAlive="
                        + q.keepAliveRequested() + " length=" + q.contentLength() + " range=" + q.range()
                        + " ae=" + q.acceptEncoding() + " inm=" + q.ifNoneMatch());
                discard = q.contentLength();
            }
        }
        return out;
    }

    private static List<String> parseAll(String input) {
        return parseAll(input.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String first(String input) {
        return parseAll(input).getFirst();
    }

    private static int status(String input) {
        List<String> all = parseAll(input);
        assertFalse(all.isEmpty(), "no result for " + input);
        String last = all.getLast();
        return Character.isDigit(last.charAt(0)) ? Integer.parseInt(last.substring(0, 3)) : 0;
    }

    @Test
    void shouldParseARequestWithItsFields() {
        RequestParser parser = new RequestParser(OPTIONS.toBuilder().accessLog(Path.of("access.log")).build());
        byte[] head = ("GET /a/b.txt?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8\r\n"
                + "Referer: http://r/\r\nIf-None-Match: \"a\"\r\nIf-None-Match: \"b\"\r\nRange: bytes=0-1\r\n"
                + "X-Other:   spaced value  \r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(head.length, parser.parse(head, 0, head.length));
        Request r = parser.request();
        assertEquals(Method.GET, r.method());
        assertEquals(HttpVersion.HTTP_1_1, r.version());
        assertEquals("GET /a/b.txt?x=1 HTTP/1.1", r.requestLine());
        assertEquals("/a/b.txt?x=1", r.target());
        assertEquals("example.com", r.host());
        assertEquals("curl/8", r.userAgent());
        assertEquals("http://r/", r.referer());
        assertEquals("\"a\", \"b\"", r.ifNoneMatch(), "a list field's lines are joined");
        assertEquals("bytes=0-1", r.range());
        assertTrue(r.keepAliveRequested());
        assertEquals(0, r.contentLength());
        RequestParser withoutLog = new RequestParser(OPTIONS);
        assertEquals(head.length, withoutLog.parse(head, 0, head.length));
        assertNull(withoutLog.request().userAgent(), "without an access log, what only the log uses is not copied");
        assertNull(withoutLog.request().referer());
    }

    @Test
    void shouldGiveTheSameResultsWhereverTheInputIsCut() {
        String input = "GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
                + "\r\n"
                + "HEAD /two HTTP/1.0\nConnection: keep-alive\n\n"
                + "GET /three HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nAccept-Encoding: br\r\n\r\nhello"
                + "GET /four HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        List<String> whole = parseAll(bytes);
        assertEquals(4, whole.size(), whole.toString());
        assertEquals("GET /one HTTP_1_1 host=h keepAlive=true length=0 range=null ae=null inm=null", whole.get(0));
        assertEquals("HEAD /two HTTP_1_0 host=null keepAlive=true length=0 range=null ae=null inm=null", whole.get(1));
        assertEquals("GET /three HTTP_1_1 host=h keepAlive=true length=5 range=null ae=br inm=null", whole.get(2));
        assertEquals("GET /four HTTP_1_1 host=h keepAlive=false length=0 range=null ae=null inm=null", whole.get(3));
        for (int cut = 1; cut < bytes.length; cut++) {
            assertEquals(whole, parseAll(bytes, cut), "cut at " + cut);
        }
        int[] everyByte = new int[bytes.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertEquals(whole, parseAll(bytes, everyByte), "one byte at a time");
    }

    @Test
    void shouldRejectTheSameWayWhereverTheInputIsCut() {
        byte[] bytes = "GET / HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        for (int cut = 1; cut < bytes.length; cut++) {
            assertEquals(List.of("400 whitespace between a field name and its colon"), parseAll(bytes, cut), "cut at " + cut);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GET / HTTP/1.0\\r\\n\\r\\n|false",
            "GET / HTTP/1.0\\r\\nConnection: keep-alive\\r\\n\\r\\n|true",
            "GET / HTTP/1.0\\r\\nConnection: Keep-Alive, close\\r\\n\\r\\n|false",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n|true",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nConnection: CLOSE\\r\\n\\r\\n|false",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nConnection: upgrade\\r\\nConnection: close\\r\\n\\r\\n|false",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nConnection: keep-alive\\r\\n\\r\\n|true",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nExpect: 100-continue\\r\\nContent-Length: 1\\r\\n\\r\\nx|false",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nExpect: 100-continue\\r\\n\\r\\n|true",
    })
    void shouldKeepAliveAsTheVersionAndConnectionSay(String request, boolean keepAlive) {
        String unescaped = request.replace("\\r", "\r").replace("\\n", "\n");
        assertTrue(first(unescaped).contains("keepAlive=" + keepAlive), first(unescaped));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // request line
            "GET  / HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n|400",
            "GET / HTTP/1.1 \\r\\nHost: h\\r\\n\\r\\n|400",
            "GET /\\r\\nHost: h\\r\\n\\r\\n|400",
            "GET / http/1.1\\r\\nHost: h\\r\\n\\r\\n|400",
            "GET / HTTP/1\\r\\nHost: h\\r\\n\\r\\n|400",
            "GET / HTTP/1.10\\r\\nHost: h\\r\\n\\r\\n|400",
            "GET / HTTP/2.0\\r\\nHost: h\\r\\n\\r\\n|505",
            "GET / HTTP/1.2\\r\\nHost: h\\r\\n\\r\\n|505",
            "GET / HTTP/0.9\\r\\nHost: h\\r\\n\\r\\n|505",
            "G\\tT / HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n|400",
            "GET /a\\tb HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n|400",
            "GET\\r\\n\\r\\n|400",
            // fields
            "GET / HTTP/1.1\\r\\nHost: h\\r\\n folded\\r\\n\\r\\n|400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nX: a\\r\\n\\tfolded\\r\\n\\r\\n|400",
            "GET / HTTP/1.1\\r\\nHost : h\\r\\n\\r\\n|400",
            "GET / HTTP/1.1\\r\\nHost\\t: h\\r\\n\\r\\n|400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nNoColon\\r\\n\\r\\n|400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\n: empty name\\r\\n\\r\\n|400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nX: a\\rb\\r\\n\\r\\n|400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nX: a\\u0001b\\r\\n\\r\\n|400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nX: a\\u007fb\\r\\n\\r\\n|400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nX: a\\u0000b\\r\\n\\r\\n|400",
            // Host
            "GET / HTTP/1.1\\r\\n\\r\\n|400",
            "GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n|400",
            "GET / HTTP/1.1\\r\\nHost: a\\r\\nhost: a\\r\\n\\r\\n|400",
            "GET / HTTP/1.1\\r\\nHost:\\r\\n\\r\\n|400",
            "GET / HTTP/1.1\\r\\nHost: a b\\r\\n\\r\\n|400",
            "GET / HTTP/1.1\\r\\nHost: a/b\\r\\n\\r\\n|400",
            "GET / HTTP/1.0\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n|400",
            // framing: what request smuggling uses
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 1\\r\\nContent-Length: 1\\r\\n\\r\\nx|400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 1, 1\\r\\n\\r\\nx|400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: +1\\r\\n\\r\\nx|400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: -1\\r\\n\\r\\n|400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 0x10\\r\\n\\r\\n|400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 99999999999999999999\\r\\n\\r\\n|400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length:\\r\\n\\r\\n|400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 1001\\r\\n\\r\\n|413",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n|411",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: Chunked\\r\\n\\r\\n|411",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n|501",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: identity\\r\\n\\r\\n|501",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: xchunked\\r\\n\\r\\n|501",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 3\\r\\n\\r\\n|400",
            "GET / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 3\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n|400",
            "GET / HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n|400",
    })
    void shouldRefuseWhatRfc9112Refuses(String request, int expected) {
        String unescaped = request.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t")
                .replace("\\u0001", "\u0001").replace("\\u007f", "\u007f").replace("\\u0000", "\u0000");
        assertEquals(expected, status(unescaped), parseAll(unescaped).toString());
    }

    @Test
    void shouldAcceptBareLineFeedsAndLeadingEmptyLines() {
        assertEquals(List.of("GET / HTTP_1_1 host=h keepAlive=true length=0 range=null ae=null inm=null"),
                parseAll("\r\n\n\r\nGET / HTTP/1.1\nHost: h\n\n"));
    }

    @Test
    void shouldTellUnknownAndKnownMethodsApartCaseSensitively() {
        assertTrue(first("get / HTTP/1.1\r\nHost: h\r\n\r\n").startsWith("UNKNOWN "));
        assertTrue(first("BREW / HTTP/1.1\r\nHost: h\r\n\r\n").startsWith("UNKNOWN "));
        assertTrue(first("POST / HTTP/1.1\r\nHost: h\r\n\r\n").startsWith("POST "));
        assertTrue(first("PROPFIND / HTTP/1.1\r\nHost: h\r\n\r\n").startsWith("PROPFIND "));
        assertTrue(first("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n").startsWith("HEAD "));
    }

    @Test
    void shouldRejectGarbageAsSoonAsItArrivesWithoutWaitingForALineEnd() {
        RequestParser parser = new RequestParser(OPTIONS);
        byte[] tls = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01};
        assertEquals(RequestParser.REJECTED, parser.parse(tls, 0, tls.length));
        assertEquals(400, parser.rejection().status());
        byte[] longMethod = "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ".getBytes(StandardCharsets.US_ASCII);
        assertEquals(RequestParser.REJECTED, parser.parse(longMethod, 0, longMethod.length));
        assertEquals(501, parser.rejection().status());
    }

    @Test
    void shouldAnswer414ForATooLongTargetBeforeItEnds() {
        RequestParser parser = new RequestParser(OPTIONS);
        byte[] line = ("GET /" + "a".repeat(1100)).getBytes(StandardCharsets.US_ASCII);
        assertEquals(RequestParser.REJECTED, parser.parse(line, 0, line.length));
        assertEquals(414, parser.rejection().status());
        assertTrue(parser.rejection().requestLine().startsWith("GET /aaaa"));
        assertEquals(414, status("GET /" + "a".repeat(1100) + " HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertEquals(0, status("GET /" + "a".repeat(1000) + " HTTP/1.1\r\nHost: h\r\n\r\n"), "a 1001-byte target fits");
    }

    @Test
    void shouldAnswer431ForATooLargeHeadBeforeItEnds() {
        RequestParser parser = new RequestParser(OPTIONS);
        byte[] head = ("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + "b".repeat(5000)).getBytes(StandardCharsets.US_ASCII);
        assertEquals(RequestParser.REJECTED, parser.parse(head, 0, head.length));
        assertEquals(431, parser.rejection().status());
        assertEquals("GET / HTTP/1.1", parser.rejection().requestLine());
        String justFits = "GET / HTTP/1.1\r\nHost: h\r\nX: ";
        String fill = "f".repeat(4096 - justFits.length() - 4);
        assertEquals(0, status(justFits + fill + "\r\n\r\n"), "a head of exactly maxHeaderBytes fits");
        assertEquals(431, status(justFits + fill + "f\r\n\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"If-Modified-Since", "If-Unmodified-Since"})
    void shouldIgnoreARepeatedDateCondition(String field) {
        RequestParser parser = new RequestParser(OPTIONS);
        byte[] head = ("GET / HTTP/1.1\r\nHost: h\r\n" + field + ": Sun, 06 Nov 1994 08:49:37 GMT\r\n" + field
                + ": Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        assertTrue(parser.parse(head, 0, head.length) > 0);
        assertNull(field.equals("If-Modified-Since") ? parser.request().ifModifiedSince() : parser.request().ifUnmodifiedSince());
    }

    @Test
    void shouldIgnoreARepeatedRangeOrIfRange() {
        assertTrue(first("GET / HTTP/1.1\r\nHost: h\r\nRange: bytes=0-1\r\nRange: bytes=2-3\r\n\r\n").contains("range=null"));
        assertTrue(first("GET / HTTP/1.1\r\nHost: h\r\nRange: bytes=0-1\r\nIf-Range: \"a\"\r\nIf-Range: \"b\"\r\n\r\n")
                .contains("range=null"));
    }
}
