package io.fdloop.internal.http.files;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MimeTypesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "index.html|text/html; charset=utf-8",
            "INDEX.HTM|text/html; charset=utf-8",
            "site.css|text/css; charset=utf-8",
            "app.js|application/javascript; charset=utf-8",
            "module.mjs|application/javascript; charset=utf-8",
            "data.json|application/json; charset=utf-8",
            "feed.xml|text/xml; charset=utf-8",
            "feed.rss|application/rss+xml; charset=utf-8",
            "logo.svg|image/svg+xml; charset=utf-8",
            "readme.txt|text/plain; charset=utf-8",
            "app.webmanifest|application/manifest+json; charset=utf-8",
            "photo.png|image/png",
            "photo.JPG|image/jpeg",
            "photo.jpeg|image/jpeg",
            "anim.gif|image/gif",
            "photo.webp|image/webp",
            "photo.avif|image/avif",
            "favicon.ico|image/x-icon",
            "font.woff|font/woff",
            "font.woff2|font/woff2",
            "doc.pdf|application/pdf",
            "module.wasm|application/wasm",
            "movie.mp4|video/mp4",
            "clip.webm|video/webm",
            "song.mp3|audio/mpeg",
            "archive.zip|application/zip",
            "archive.tar.gz|application/gzip",
            "archive.tar|application/x-tar",
            "Makefile|application/octet-stream",
            "trailing.|application/octet-stream",
            "weird.unknownext|application/octet-stream",
            ".bashrc|application/octet-stream",
    })
    void shouldMapExtensionsAsNginxDoesWithCharsetsForText(String name, String type) {
        assertEquals(type, MimeTypes.standard().contentType(name));
    }
}
