package io.fdloop.cli.bench.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary directory removed with everything in it on {@link #close}, or by a shutdown hook
 * when the JVM exits first (^C in the middle of a run).
 *
 * <p><b>Not thread-safe</b>: one owner; the hook runs only if the owner did not close it.
 */
public final class TempDirectory implements AutoCloseable {
    private final Path path;
    private final Thread hook;

    private TempDirectory(Path path) {
        this.path = path;
        this.hook = new Thread(() -> {
            try {
                delete(path);
            } catch (IOException e) {
                // the JVM is exiting: nothing left to tell
            }
        }, "fdloop-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** A new directory in the default temporary-file directory, its name starting with {@code prefix}. */
    public static TempDirectory create(String prefix) throws IOException {
        return new TempDirectory(Files.createTempDirectory(prefix));
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            return; // the JVM is shutting down: the hook does it
        }
        delete(path);
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
