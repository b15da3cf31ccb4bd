package io.fdloop.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An unmodified application run with {@code -Djava.nio.file.spi.DefaultFileSystemProvider} set to
 * fdloop's provider: its {@code AsynchronousFileChannel}s are fdloop's, and everything else it does
 * with files works as before.
 */
class FdloopFileSystemProviderTest {
    @TempDir
    Path dir;

    @Test
    void shouldRunHandlersOnTheJdksDefaultPoolWhenItsPropertiesConfigureOne() throws Exception {
        List<String> output = runChild(DefaultPoolChild.class,
                "-Djava.nio.channels.DefaultThreadPool.threadFactory=" + DefaultPoolChild.Factory.class.getName(),
                dir.resolve("pooled.bin").toString());
        assertEquals(List.of("handler ran on configured-pool", "channel FdloopAsyncChannel"), output);
    }

    private static List<String> runChild(Class<?> main, String property, String argument) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.nio.file.spi.DefaultFileSystemProvider=" + FdloopFileSystemProvider.class.getName(), property,
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                main.getName(), argument)
                .redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
            }
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), String.join("\n", output));
        return output;
    }

    @Test
    void shouldGiveAnUnmodifiedApplicationFdloopChannelsAndLeaveTheRestAlone() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.nio.file.spi.DefaultFileSystemProvider=" + FdloopFileSystemProvider.class.getName(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ProviderChild.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
            }
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        String all = String.join("\n", output);
        assertEquals(0, child.exitValue(), all);
        assertEquals(List.of(
                "provider io.fdloop.file.FdloopFileSystemProvider",
                "channel io.fdloop.internal.channel.FdloopAsyncChannel",
                "wrote 13",
                "read 13 hello, fdloop",
                "size 13",
                "permissions rw-------",
                "file channel size 13",
                "lines [line one, line two]",
                "walk [, data.bin, moved.bin, private.bin, sub, sub/deeper, text.txt]",
                "glob [data.bin, moved.bin, private.bin]",
                "matcher true",
                "exists true false",
                "real true",
                "file 18",
                "OK"), output);
    }
}
