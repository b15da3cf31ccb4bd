package io.fdloop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of the test's own class path running one of the tests' main classes: for what a test cannot
 * do in its own process (deliver a real SIGTERM, install a default file system provider, be killed).
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** Starts {@code main} with {@code jvmOptions} before the class and {@code args} after, stderr into stdout. */
    public static Process start(Class<?> main, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** What a child printed, and how it ended. */
    public record Output(int exitCode, List<String> lines) {
        @Override
        public String toString() {
            return "exit " + exitCode + ", output:\n" + String.join("\n", lines);
        }
    }

    /**
     * Runs {@code main} to its end (at most a minute, then it is killed); when it prints
     * {@code signalLine} (null: never) it is sent SIGTERM with kill(1), as a user or a service
     * manager would.
     */
    public static Output run(Class<?> main, List<String> jvmOptions, String signalLine, String... args)
            throws IOException, InterruptedException {
        Process child = start(main, jvmOptions, args);
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread reader = Thread.ofVirtual().start(() -> readLines(child, lines, signalLine));
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            lines.add("(killed after a minute)");
        }
        reader.join();
        return new Output(child.waitFor(), List.copyOf(lines));
    }

    private static void readLines(Process child, List<String> lines, String signalLine) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
                if (line.equals(signalLine)) {
                    Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(child.pid())).start();
                    if (kill.waitFor() != 0) {
                        lines.add("(kill -TERM " + child.pid() + " failed)");
                    }
                }
            }
        } catch (IOException e) {
            lines.add("(reading the child's output failed: " + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
