package io.fdloop.internal.http;

import io.fdloop.http.ServerOptions;
import io.fdloop.internal.http.response.HttpDates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static io.fdloop.internal.http.TestTree.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each response feature, through a session, against files on disk. */
class StaticFilesTest {
    @TempDir
    Path base;
    TestTree tree;
    SessionHarness server;

    @BeforeEach
    void start() throws Exception {
        tree = new TestTree(base);
        server = new SessionHarness(ServerOptions.builder(tree.root).listing(true).build());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void shouldServeAFileWithEveryFieldItNeeds() throws Exception {
        Response r = server.connect().one(get("/hello.txt"));
        assertEquals(200, r.status());
        assertEquals(TestTree.HELLO, r.bodyText());
        assertEquals("fdloop", r.header("Server"));
        assertTrue(HttpDates.parse(r.header("Date")) != HttpDates.INVALID, r.header("Date"));
        assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
        assertEquals("13", r.header("Content-Length"));
        assertEquals("Thu, 04 Mar 2021 05:06:07 GMT", r.header("Last-Modified"));
        assertTrue(Pattern.matches("\"[0-9a-f]+-d-[0-9a-f]+\"", r.header("ETag")), r.header("ETag"));
        assertEquals("bytes", r.header("Accept-Ranges"));
        assertEquals("keep-alive", r.header("Connection"));
        assertNull(r.header("Vary"), "no precompressed sibling, no Vary");
        assertNull(r.header("Content-Encoding"));
    }

    @Test
    void shouldServeLargeBinaryFilesByteExactly() throws Exception {
        Response r = server.connect().one(get("/data.bin"));
        assertEquals(200, r.status());
        assertEquals("application/octet-stream", r.header("Content-Type"));
        assertArrayEquals(tree.data, r.body());
    }

    @Test
    void shouldAnswerHeadWithTheHeadOfGet() throws Exception {
        SessionHarness.Conn c = server.connect();
        Response get = c.one(get("/hello.txt"));
        Response head = c.one("HEAD /hello.txt HTTP/1.1\r\nHost: test\r\n\r\n");
        assertEquals(200, head.status());
        assertEquals(0, head.body().length);
        assertEquals(get.header("Content-Length"), head.header("Content-Length"));
        assertEquals(get.header("ETag"), head.header("ETag"));
        assertEquals(get.header("Content-Type"), head.header("Content-Type"));
        Response missing = c.one("HEAD /nope HTTP/1.1\r\nHost: test\r\n\r\n");
        assertEquals(404, missing.status());
        assertEquals(0, missing.body().length);
        assertNotEquals("0", missing.header("Content-Length"), "HEAD announces the length GET would send");
    }

    @Test
    void shouldServeAnEmptyFile() throws Exception {
        Response r = server.connect().one(get("/empty.txt"));
        assertEquals(200, r.status());
        assertEquals("0", r.header("Content-Length"));
        assertEquals(0, r.body().length);
    }

    @Test
    void shouldServeIndexHtmlForADirectory() throws Exception {
        Response r = server.connect().one(get("/"));
        assertEquals(200, r.status());
        assertEquals("<h1>home</h1>\n", r.bodyText());
        assertEquals("text/html; charset=utf-8", r.header("Content-Type"));
        Response sub = server.connect().one(get("/dir/sub/"));
        assertEquals("<p>sub</p>\n", sub.bodyText());
    }

    @Test
    void shouldRedirectADirectoryAskedForWithoutItsSlash() throws Exception {
        Response r = server.connect().one(get("/dir?x=1&y=%2F"));
        assertEquals(301, r.status());
        assertEquals("/dir/?x=1&y=%2F", r.header("Location"));
        assertEquals("keep-alive", r.header("Connection"));
        Response sub = server.connect().one(get("/dir/sub"));
        assertEquals("/dir/sub/", sub.header("Location"));
        Response encoded = server.connect().one(get("//dir//sub"));
        assertEquals("/dir/sub/", encoded.header("Location"), "never //host in a Location");
    }

    @Test
    void shouldListADirectoryWithEscapedSortedNames() throws Exception {
        Response r = server.connect().one(get("/dir/"));
        assertEquals(200, r.status());
        assertEquals("text/html; charset=utf-8", r.header("Content-Type"));
        String html = r.bodyText();
        assertTrue(html.contains("<title>Index of /dir/</title>"), html);
        assertTrue(html.contains("<a href=\"../\">../</a>"), html);
        assertTrue(html.contains("<a href=\"sub/\">sub/</a>"), html);
        assertTrue(html.contains("<a href=\"a.txt\">a.txt</a>"), html);
        assertTrue(html.contains("<a href=\"we%3Cird%3E%26%22name%27.txt\">we&lt;ird&gt;&amp;&quot;name&#39;.txt</a>"), html);
        assertFalse(html.contains("<ird>"), "no raw markup from a file name");
        assertFalse(html.contains("up/") || html.contains(">up<"), "a symlink out of the root is not listed: " + html);
        assertTrue(html.indexOf("sub/") < html.indexOf("a.txt"), "directories first");
        assertTrue(html.indexOf(">a.txt<") < html.indexOf(">we&lt;"), "then names in order");
        assertTrue(html.matches("(?s).*a\\.txt</a> +04-Mar-2021 05:06 +2\n.*"), html);
    }

    @Test
    void shouldRefuseADirectoryWithoutIndexWhenListingIsOff() throws Exception {
        try (SessionHarness noListing = new SessionHarness(ServerOptions.builder(tree.root).build())) {
            assertEquals(403, noListing.connect().one(get("/dir/")).status());
            assertEquals(200, noListing.connect().one(get("/")).status(), "index.html still served");
        }
    }

    @Test
    void shouldHideDotfilesByDefaultAndServeThemWhenAsked() throws Exception {
        SessionHarness.Conn c = server.connect();
        assertEquals(404, c.one(get("/.secret")).status());
        assertEquals(404, c.one(get("/.hidden/x.txt")).status());
        assertEquals(404, c.one(get("/%2esecret")).status());
        assertEquals(404, c.one(get("/dotlink.txt")).status(), "a symlink to a dotfile is a dotfile");
        assertFalse(c.one(get("/")).bodyText().contains(".secret"));
        try (SessionHarness served = new SessionHarness(ServerOptions.builder(tree.root)
                .dotfiles(ServerOptions.Dotfiles.SERVED).build())) {
            assertEquals(TestTree.SECRET, served.connect().one(get("/.secret")).bodyText());
            assertEquals(TestTree.SECRET, served.connect().one(get("/dotlink.txt")).bodyText());
        }
    }

    @Test
    void shouldFollowSymlinksThatStayInsideTheRoot() throws Exception {
        Response r = server.connect().one(get("/inner-link.txt"));
        assertEquals(200, r.status());
        assertEquals(TestTree.HELLO, r.bodyText());
    }

    @Test
    void shouldAnswerTheErrorStatusesWithPagesAndTheRightConnection() throws Exception {
        SessionHarness.Conn c = server.connect();
        Response missing = c.one(get("/nope.txt"));
        assertEquals(404, missing.status());
        assertEquals("text/html; charset=utf-8", missing.header("Content-Type"));
        assertTrue(missing.bodyText().contains("404 Not Found"));
        assertEquals(String.valueOf(missing.body().length), missing.header("Content-Length"));
        assertEquals("keep-alive", missing.header("Connection"));
        assertEquals(404, c.one(get("/hello.txt/")).status(), "a file asked for as a directory");
        assertEquals(404, c.one(get("/loop-a")).status(), "a symlink loop");
        Response post = c.one("POST /hello.txt HTTP/1.1\r\nHost: test\r\nContent-Length: 3\r\n\r\nabc");
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.header("Allow"));
        assertEquals("keep-alive", post.header("Connection"));
        assertEquals(200, c.one(get("/hello.txt")).status(), "the body of the 405 was skipped");
        assertFalse(c.closed());
        Response unknown = c.one("BREW /pot HTTP/1.1\r\nHost: test\r\n\r\n");
        assertEquals(501, unknown.status());
        assertEquals("close", unknown.header("Connection"));
        c.awaitClosed();
    }

    @Test
    void shouldCloseAfterAMalformedRequest() throws Exception {
        for (String bad : List.of("GET /a%2fb HTTP/1.1\r\nHost: test\r\n\r\n", "GET / HTTP/1.1\r\n\r\n",
                "GET / HTTP/2.0\r\nHost: test\r\n\r\n", "GET /" + "x".repeat(9000) + " HTTP/1.1\r\n",
                "GET / HTTP/1.1\r\nHost: test\r\nX: " + "y".repeat(17000))) {
            SessionHarness.Conn c = server.connect();
            c.send(bad + get("/hello.txt"));
            List<Response> responses = c.await(1);
            c.awaitClosed();
            assertEquals(1, c.transport.responses().size(), "nothing after the error: " + bad.substring(0, Math.min(20, bad.length())));
            assertEquals("close", responses.getFirst().header("Connection"));
            assertTrue(List.of(400, 414, 431, 505).contains(responses.getFirst().status()));
        }
    }

    @Test
    void shouldReadAndDiscardTheBodyOfAGet() throws Exception {
        SessionHarness.Conn c = server.connect();
        String body = "GET /hello.txt HTTP/1.1\r\n".repeat(3); // looks like requests, must not be taken for them
        c.send("GET /style.css HTTP/1.1\r\nHost: test\r\nContent-Length: " + body.length() + "\r\n\r\n");
        c.send(body.substring(0, 10));
        c.send(body.substring(10) + get("/hello.txt"));
        List<Response> r = c.await(2);
        assertEquals("body{}\n", r.get(0).bodyText());
        assertEquals(TestTree.HELLO, r.get(1).bodyText());
        server.run(() -> assertEquals(0, c.session.queued()));
        assertEquals(2, c.transport.responses().size(), "the discarded body made no responses");
    }

    @Test
    void shouldAnswerTheUnframeableWith411Or413AndClose() throws Exception {
        SessionHarness.Conn c = server.connect();
        Response chunked = c.one("GET / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        assertEquals(411, chunked.status());
        c.awaitClosed();
        SessionHarness.Conn d = server.connect();
        Response big = d.one("GET / HTTP/1.1\r\nHost: test\r\nContent-Length: 2000000\r\n\r\n");
        assertEquals(413, big.status());
        d.awaitClosed();
    }

    @Test
    void shouldSendTypesFromTheMimeTable() throws Exception {
        SessionHarness.Conn c = server.connect();
        assertEquals("text/css; charset=utf-8", c.one(get("/style.css")).header("Content-Type"));
        assertEquals("application/javascript; charset=utf-8", c.one(get("/app.js")).header("Content-Type"));
        assertEquals("text/html; charset=utf-8", c.one(get("/index.html")).header("Content-Type"));
    }

    @Test
    void shouldGiveDifferentFilesDifferentETagsAndKeepOneFilesStable() throws Exception {
        SessionHarness.Conn c = server.connect();
        String hello = c.one(get("/hello.txt")).header("ETag");
        assertEquals(hello, c.one(get("/hello.txt")).header("ETag"));
        assertEquals(hello, c.one(get("/inner-link.txt")).header("ETag"), "the file, not the name, has the tag");
        assertNotEquals(hello, c.one(get("/style.css")).header("ETag"));
        byte[] raw = c.transport.responses().getFirst();
        assertTrue(new String(raw, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200 OK\r\nServer: fdloop\r\nDate: "));
    }
}
