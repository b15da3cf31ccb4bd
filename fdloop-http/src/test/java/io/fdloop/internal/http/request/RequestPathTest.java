package io.fdloop.internal.http.request;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestPathTest {
    private static RequestPath ok(String target) {
        RequestPath.Outcome o = RequestPath.decode(target);
        assertNotNull(o.path(), () -> target + " was refused: " + o.problem());
        return o.path();
    }

    @ParameterizedTest
    @CsvSource({
            "/, /",
            "/index.html, /index.html",
            "/a/b/c.txt, /a/b/c.txt",
            "/a//b///c, /a/b/c",
            "/a/./b, /a/b",
            "/a/b/.., /a/",
            "/a/b/../, /a/",
            "/a/b/../c, /a/c",
            "/.., /",
            "/../../../etc/passwd, /etc/passwd",
            "/a/../../b, /b",
            "/%2e%2e/%2E%2E/etc/passwd, /etc/passwd",
            "/a/%2e/b, /a/b",
            "/a/.%2e/b, /b",
            "/a/b/%2e%2e, /a/",
            "/..%2f..%2f/x, REFUSED",
            "/dir/, /dir/",
            "/dir, /dir",
            "/caf%C3%A9.txt, /café.txt",
            "/a%20b.txt, /a b.txt",
            "/a+b.txt, /a+b.txt",
            "/a?x=1&y=/../.., /a",
            "/a/?, /a/",
            "http://example.com/a/../b?q, /b",
            "HTTP://example.com, /",
            "https://example.com:8443/x/, /x/",
            "/...., /....",
            "/a/.../b, /a/.../b",
    })
    void shouldDecodeAndNormalise(String target, String expected) {
        RequestPath.Outcome o = RequestPath.decode(target);
        if (expected.equals("REFUSED")) {
            assertNull(o.path(), target + " should be refused");
        } else {
            assertNotNull(o.path(), () -> target + " was refused: " + o.problem());
            assertEquals(expected, o.path().path());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/a%2fb", "/a%2Fb", "/..%2f", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",   // an encoded slash never separates
            "/a%5cb", "/a%5C..%5Cb", "/a\\b", "/..\\..\\windows",                // backslashes
            "/a%00b", "/a%00", "/index.html%00.txt",                                // NUL
            "/a%0ab", "/a%0d%0aSet-Cookie:%20x", "/a%7f", "/a%1b",                  // other control bytes
            "/a%", "/a%2", "/a%zz", "/a%g0", "/%%32%65",                           // malformed escapes
            "/a%c3", "/a%ff", "/%c0%ae%c0%ae/etc/passwd", "/%e0%80%af",            // not UTF-8 (overlong forms too)
            "*", "example.com:80", "a/b", "", "ftp://host/x",                       // not origin- or absolute-form
            "http://user@host/x", "http:///x", "/a#frag", "/a?q#frag",
    })
    void shouldRefuseWhatCouldEscapeOrConfuse(String target) {
        RequestPath.Outcome o = RequestPath.decode(target);
        assertNull(o.path(), () -> target + " decoded to " + o.path());
        assertNotNull(o.problem());
    }

    @Test
    void shouldSayWhyATargetIsRefused() {
        assertEquals("encoded slash (%2F) in a path segment", RequestPath.decode("/a%2Fb").problem());
        assertEquals("encoded NUL (%00) in the path", RequestPath.decode("/a%00").problem());
        assertEquals("backslash in the path", RequestPath.decode("/a\\b").problem());
        assertEquals("truncated percent-escape", RequestPath.decode("/a%4").problem());
        assertEquals("path is not UTF-8", RequestPath.decode("/a%ff").problem());
    }

    @Test
    void shouldKeepSegmentsTrailingSlashAndQuery() {
        RequestPath p = ok("/a/b/?x=%2F&y");
        assertEquals(List.of("a", "b"), p.segments());
        assertTrue(p.trailingSlash());
        assertEquals("x=%2F&y", p.query());
        RequestPath root = ok("/");
        assertEquals(List.of(), root.segments());
        assertTrue(root.trailingSlash());
        assertNull(root.query());
    }

    @Test
    void shouldFindDotSegments() {
        assertTrue(ok("/.git/config").hasDotSegment());
        assertTrue(ok("/a/.env").hasDotSegment());
        assertTrue(ok("/%2Ehtaccess").hasDotSegment());
        assertFalse(ok("/a/b.c/d").hasDotSegment());
        assertFalse(ok("/a/./b/../c").hasDotSegment(), "dot segments are removed, not hidden");
    }

    @Test
    void shouldEncodeBackIntoAUriForRedirects() {
        assertEquals("/caf%C3%A9%20bar/?x=1", ok("/caf%C3%A9%20bar?x=1").withTrailingSlash().toUri());
        assertEquals("/a%3Fb/", ok("/a%3Fb").withTrailingSlash().toUri());
        assertEquals("/a%25b/", ok("/a%25b").withTrailingSlash().toUri());
        assertEquals("/a%22%3C%3E/", ok("/a%22%3C%3E").withTrailingSlash().toUri());
        assertEquals("/evil.com/", ok("//evil.com").withTrailingSlash().toUri(), "never a protocol-relative //host");
        assertEquals("/x/?a%22b%7Fc", ok("/x?a\"b\u007fc").withTrailingSlash().toUri());
    }
}
