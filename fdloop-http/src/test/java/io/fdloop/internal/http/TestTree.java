package io.fdloop.internal.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Random;

/**
 * A served root and, beside it, a directory that must never be served, with symlinks from one into
 * the other:
 * <pre>
 * base/
 *   outside/secret.txt            SECRET (never served)
 *   outside/dir/inner.txt         SECRET
 *   root/
 *     index.html, hello.txt (13 B), empty.txt, data.bin (200,000 random bytes), style.css
 *     app.js, app.js.br, app.js.gz   (three different contents)
 *     .secret, .hidden/x.txt, dotlink.txt -> .secret
 *     dir/ a.txt, we&lt;ird&gt;&amp;"name'.txt, sub/ (with index.html), up -> ../..
 *     leak.txt -> ../outside/secret.txt, escape -> ../outside, abs-leak -> /absolute/base/outside/secret.txt
 *     inner-link.txt -> hello.txt, loop-a -> loop-b, loop-b -> loop-a
 * </pre>
 * Every file's modification time is {@link #MODIFIED}.
 */
final class TestTree {
    static final Instant MODIFIED = Instant.parse("2021-03-04T05:06:07Z");
    static final String SECRET = "TOP-SECRET-OUTSIDE-THE-ROOT";
    static final String HELLO = "hello, world\n";
    static final String APP_JS = "console.log('identity');\n";
    static final String APP_JS_BR = "brotli-bytes-stand-in\n";
    static final String APP_JS_GZ = "gzip-bytes-stand-in, longer\n";

    final Path base;
    final Path root;
    final Path outside;
    final byte[] data;

    TestTree(Path base) throws IOException {
        this.base = base;
        root = Files.createDirectories(base.resolve("root"));
        outside = Files.createDirectories(base.resolve("outside"));
        write(outside.resolve("secret.txt"), SECRET);
        Files.createDirectories(outside.resolve("dir"));
        write(outside.resolve("dir/inner.txt"), SECRET);

        write(root.resolve("index.html"), "<h1>home</h1>\n");
        write(root.resolve("hello.txt"), HELLO);
        write(root.resolve("empty.txt"), "");
        write(root.resolve("style.css"), "body{}\n");
        write(root.resolve("app.js"), APP_JS);
        write(root.resolve("app.js.br"), APP_JS_BR);
        write(root.resolve("app.js.gz"), APP_JS_GZ);
        data = new byte[200_000];
        new Random(42).nextBytes(data);
        Files.write(root.resolve("data.bin"), data);
        write(root.resolve(".secret"), SECRET);
        Files.createDirectories(root.resolve(".hidden"));
        write(root.resolve(".hidden/x.txt"), SECRET);
        Files.createSymbolicLink(root.resolve("dotlink.txt"), Path.of(".secret"));
        Path dir = Files.createDirectories(root.resolve("dir"));
        write(dir.resolve("a.txt"), "a\n");
        write(dir.resolve("we<ird>&\"name'.txt"), "weird\n");
        Files.createDirectories(dir.resolve("sub"));
        write(dir.resolve("sub/index.html"), "<p>sub</p>\n");
        Files.createSymbolicLink(dir.resolve("up"), Path.of("../.."));
        Files.createSymbolicLink(root.resolve("leak.txt"), Path.of("../outside/secret.txt"));
        Files.createSymbolicLink(root.resolve("escape"), Path.of("../outside"));
        Files.createSymbolicLink(root.resolve("abs-leak"), outside.resolve("secret.txt").toAbsolutePath());
        Files.createSymbolicLink(root.resolve("inner-link.txt"), Path.of("hello.txt"));
        Files.createSymbolicLink(root.resolve("loop-a"), Path.of("loop-b"));
        Files.createSymbolicLink(root.resolve("loop-b"), Path.of("loop-a"));
        try (var files = Files.walk(base)) {
            for (Path p : files.toList()) {
                if (!Files.isSymbolicLink(p)) {
                    Files.setLastModifiedTime(p, FileTime.from(MODIFIED));
                }
            }
        }
    }

    static void write(Path path, String text) throws IOException {
        Files.writeString(path, text, StandardCharsets.UTF_8);
    }

    static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: test\r\n\r\n";
    }

    static String get(String target, String... fields) {
        StringBuilder sb = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: test\r\n");
        for (String f : fields) {
            sb.append(f).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }
}
