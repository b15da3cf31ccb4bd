package io.fdloop.cli.bench.proc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs a main class of this program in a JVM of its own: this JVM's
 * {@code java}, its class path, native access enabled (fdloop's FFM, Netty's JNI), and the same
 * heap and collector for every engine so that none is favoured.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class JavaCommand {
    /**
     * The JVM options every Java engine gets. A JVM pinned to one core picks the serial collector
     * by itself; saying so keeps that true wherever bench is started from.
     */
    public static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx1g", "-XX:+UseSerialGC");

    private JavaCommand() {
    }

    /** This JVM's {@code java} launcher. */
    public static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** {@code java [options] -cp CLASSPATH mainClass args...}. */
    public static List<String> of(String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(java().toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}
