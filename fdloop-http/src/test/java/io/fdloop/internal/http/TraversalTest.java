package io.fdloop.internal.http;

import io.fdloop.http.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.fdloop.internal.http.TestTree.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Targets that try to leave the root, against a real tree with symlinks pointing outside it: whatever
 * the status, no byte of a file outside the root ever reaches the client, and no listing names
 * anything outside.
 */
class TraversalTest {
    @TempDir
    Path base;

    static final String[] ATTACKS = {
            "/../outside/secret.txt", "/../../outside/secret.txt", "/./../outside/secret.txt",
            "/..%2foutside%2fsecret.txt", "/%2e%2e/outside/secret.txt", "/%2E%2E/%2E%2E/outside/secret.txt",
            "/.%2e/outside/secret.txt", "/%2e./outside/secret.txt", "/dir/../../outside/secret.txt",
            "/dir/%2e%2e/%2e%2e/outside/secret.txt", "/%252e%252e/outside/secret.txt", "/..%252foutside/secret.txt",
            "/..\\outside\\secret.txt", "/..%5coutside%5csecret.txt", "/%c0%ae%c0%ae/outside/secret.txt",
            "/%e0%80%ae%e0%80%ae/outside/secret.txt", "/..%00/outside/secret.txt", "/hello.txt%00../../outside/secret.txt",
            "/leak.txt", "/leak.txt/", "/abs-leak", "/escape", "/escape/", "/escape/secret.txt", "/escape/dir/inner.txt",
            "/escape/dir/", "/dir/up/outside/secret.txt", "/dir/up/", "/dir/up", "/dir/up/root/../outside/secret.txt",
            "/linked.txt", "/linked-dir/", "/linked-dir/inner.txt",
            "http://test/../outside/secret.txt", "http://test/escape/secret.txt", "//outside/secret.txt",
            "/" + "../".repeat(200) + "outside/secret.txt", "/..;/outside/secret.txt", "/...//outside/secret.txt",
            "/%2e%2e%2f%2e%2e%2foutside%2fsecret.txt", "/dir/..%2F..%2Foutside/secret.txt",
    };

    @Test
    void shouldNeverSendAByteFromOutsideTheRoot() throws Exception {
        TestTree tree = new TestTree(base);
        // precompressed siblings and a directory that lead outside must be ignored too
        TestTree.write(tree.root.resolve("linked.txt"), "inside\n");
        Files.createSymbolicLink(tree.root.resolve("linked.txt.gz"), tree.outside.resolve("secret.txt"));
        Files.createSymbolicLink(tree.root.resolve("linked.txt.br"), Path.of("../outside/secret.txt"));
        Files.createSymbolicLink(tree.root.resolve("linked-dir"), Path.of("../outside/dir"));
        ServerOptions options = ServerOptions.builder(tree.root).listing(true)
                .dotfiles(ServerOptions.Dotfiles.SERVED).build();
        try (SessionHarness server = new SessionHarness(options)) {
            List<String> outcomes = new ArrayList<>();
            for (String attack : ATTACKS) {
                for (String method : new String[] {"GET", "HEAD"}) {
                    for (String encoding : new String[] {"", "Accept-Encoding: gzip, br\r\n"}) {
                        SessionHarness.Conn c = server.connect();
                        Response r = c.one(method + " " + attack + " HTTP/1.1\r\nHost: test\r\n" + encoding
                                + "Range: bytes=0-5,7-9\r\n\r\n");
                        String raw = new String(r.raw(), StandardCharsets.ISO_8859_1);
                        assertFalse(raw.contains("SECRET"), () -> attack + " leaked:\n" + raw);
                        assertFalse(raw.contains("inner.txt") || raw.contains("secret.txt"),
                                () -> attack + " named a file outside:\n" + raw);
                        if (r.status() == 200 || r.status() == 206) {
                            assertTrue(attack.startsWith("/linked.txt") || attack.startsWith("/dir/up/root"),
                                    () -> attack + " was served: " + raw);
                        }
                        outcomes.add(r.status() + " " + attack);
                    }
                }
            }
            Response linked = server.connect().one(get("/linked.txt", "Accept-Encoding: gzip, br"));
            assertEquals("inside\n", linked.bodyText());
            assertEquals(null, linked.header("Content-Encoding"), "siblings outside the root are not siblings");
            assertEquals(null, linked.header("Vary"));
            assertTrue(outcomes.stream().noneMatch(o -> o.startsWith("5")), outcomes::toString);
        }
    }

    @Test
    void shouldNotFollowASymlinkSwappedInAfterTheFileWasCached() throws Exception {
        TestTree tree = new TestTree(base);
        Path swapped = tree.root.resolve("swap.txt");
        TestTree.write(swapped, "first, inside\n");
        // no cache: every request looks the path up again
        try (SessionHarness server = new SessionHarness(ServerOptions.builder(tree.root).openFileCacheEntries(0).build())) {
            assertEquals("first, inside\n", server.connect().one(get("/swap.txt")).bodyText());
            Files.delete(swapped);
            Files.createSymbolicLink(swapped, tree.outside.resolve("secret.txt"));
            Response r = server.connect().one(get("/swap.txt"));
            assertEquals(404, r.status());
            assertFalse(new String(r.raw(), StandardCharsets.ISO_8859_1).contains("SECRET"));
        }
    }

    @Test
    void shouldListNothingThatLiesOutside() throws Exception {
        TestTree tree = new TestTree(base);
        Files.delete(tree.root.resolve("index.html"));
        try (SessionHarness server = new SessionHarness(ServerOptions.builder(tree.root).listing(true).build())) {
            String html = server.connect().one(get("/")).bodyText();
            assertTrue(html.contains("hello.txt"), html);
            assertTrue(html.contains("inner-link.txt"), "a symlink inside is listed: " + html);
            for (String outside : new String[] {"leak.txt", "escape", "abs-leak", ".secret", ".hidden", "dotlink.txt", "loop-a"}) {
                assertFalse(html.contains(">" + outside), outside + " listed:\n" + html);
            }
        }
    }
}
