package io.fdloop.cli.bench.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A short journal benchmark run: every engine that can run here produces a row, and leaves no files behind. */
class JournalBenchTest {
    @TempDir
    Path dir;

    @Test
    void shouldPrintARowPerEngineAndCleanUp() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = JournalBench.run(List.of("fdloop-journal-fdatasync", "fdloop-journal-none", "filechannel", "artemis"),
                null, List.of(2), List.of(256), TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(300),
                dir, true, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String json = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        for (String engine : List.of("fdloop-journal-fdatasync", "fdloop-journal-none", "filechannel")) {
            assertTrue(json.contains("\"engine\": \"" + engine + "\""), json);
        }
        assertTrue(json.contains("\"engine\": \"artemis\"") || err.toString(StandardCharsets.UTF_8).contains("skipping artemis"),
                json + err);
        assertTrue(!json.contains("\"records\": 0,"), "every engine completed appends: " + json);
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "the benchmark removes its files");
        }
    }

    @Test
    void shouldNameTheKnownEnginesForAnUnknownOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JournalBench.engine("nope", null));
        assertTrue(e.getMessage().contains("filechannel") && e.getMessage().contains("artemis"), e.getMessage());
    }
}
