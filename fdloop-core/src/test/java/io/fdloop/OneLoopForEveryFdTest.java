package io.fdloop;

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
 * One loop for every kind of fd, end to end: a child JVM runs one loop that receives AIO completions, a pipe, a
 * timer, a user EventFd and a real SIGTERM sent with kill(1); its handler runs on the loop thread
 * and the child exits 0.
 */
class OneLoopForEveryFdTest {
    @TempDir
    Path dir;

    @Test
    void shouldDispatchAioPipeTimerEventFdAndSignalOnOneLoopThread() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                OneLoopForEveryFdChild.class.getName(), dir.resolve("disk.dat").toString())
                .redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                if (line.equals("WAITING-FOR-SIGNAL")) {
                    Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(child.pid())).start();
                    assertEquals(0, kill.waitFor(), "kill -TERM " + child.pid());
                }
            }
        } finally {
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        assertEquals(0, child.exitValue(), "child output:\n" + String.join("\n", output));
        assertTrue(output.contains("SIGTERM handled on main"), String.join("\n", output));
        assertTrue(output.stream().anyMatch(l -> l.startsWith("seen [AIO, PIPE, TIMER, EVENTFD, SIGNAL], all on the loop thread")),
                String.join("\n", output));
    }
}
