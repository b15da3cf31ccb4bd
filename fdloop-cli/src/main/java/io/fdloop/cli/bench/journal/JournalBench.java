package io.fdloop.cli.bench.journal;

import io.fdloop.file.FileBackend;
import io.fdloop.journal.Durability;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code fdloop bench --journal}: fdloop's journal in each durability mode beside the group commit
 * users write with {@code FileChannel} and beside Artemis's own journal, at every producer count
 * and record size asked for, each in a fresh directory.
 *
 * <p><b>Not thread-safe</b>: one run at a time.
 */
public final class JournalBench {
    /** Every engine, in the order they run: fdloop's journal in each {@link Durability}, then the peers. */
    public static final List<String> ENGINES = engines();

    private JournalBench() {
    }

    private static List<String> engines() {
        List<String> names = new ArrayList<>();
        for (Durability d : Durability.values()) {
            names.add("fdloop-journal-" + d.name().toLowerCase(Locale.ROOT));
        }
        names.add("filechannel");
        names.add("artemis");
        return List.copyOf(names);
    }

    /**
     * The engine called {@code name}, on fdloop's {@code backend} for fdloop's (null: the loop's
     * default, {@code -Dfdloop.backend} or auto); IllegalArgumentException naming the known ones.
     */
    public static JournalEngine engine(String name, FileBackend backend) {
        for (Durability d : Durability.values()) {
            if (name.equals("fdloop-journal-" + d.name().toLowerCase(Locale.ROOT))) {
                return new FdloopJournalEngine(d, backend);
            }
        }
        return switch (name) {
            case "filechannel" -> new FileChannelJournalEngine();
            case "artemis" -> new ArtemisJournalEngine();
            default -> throw new IllegalArgumentException("unknown journal engine " + name + "; known: "
                    + String.join(", ", ENGINES));
        };
    }

    /** Runs every engine on every job; returns the exit code (1 when an engine failed). */
    public static int run(List<String> engineNames, FileBackend backend, List<Integer> producers,
                          List<Integer> recordSizes, long warmupNs, long runtimeNs, Path base, boolean json,
                          PrintStream out, PrintStream err) throws IOException {
        List<JournalEngine> engines = new ArrayList<>();
        for (String name : engineNames) {
            JournalEngine engine = engine(name.trim(), backend);
            String cause = engine.unavailableBecause();
            if (cause == null) {
                engines.add(engine);
            } else {
                err.println("bench: skipping " + engine.name() + ": " + cause);
            }
        }
        Path root = Files.createTempDirectory(base, "fdloop-journal-bench-");
        List<JournalResult> results = new ArrayList<>();
        boolean failed = false;
        try {
            // The JIT compiles each engine's code in its first seconds: run each once, unmeasured,
            // so the first cell measured is not charged for it (CPU included).
            for (JournalEngine engine : engines) {
                Path dir = root.resolve(engine.name() + "-jit");
                try {
                    new JournalMeasurement(engine, new JournalJob(dir, Math.max(4, producers.getFirst()),
                            recordSizes.getFirst(), 0, Math.min(2_000_000_000L, Math.max(runtimeNs, warmupNs)))).run();
                } catch (Exception e) {
                    // reported when the engine runs for real
                } finally {
                    delete(dir);
                }
            }
            for (int size : recordSizes) {
                for (int p : producers) {
                    for (JournalEngine engine : engines) {
                        Path dir = root.resolve(engine.name() + "-" + p + "-" + size);
                        JournalJob job = new JournalJob(dir, p, size, warmupNs, runtimeNs);
                        if (!json) {
                            err.printf(Locale.ROOT, "bench: %-26s %5d producers, %s records%n", engine.name(), p,
                                    JournalTable.bytes(size));
                        }
                        try {
                            results.add(new JournalMeasurement(engine, job).run());
                        } catch (Exception e) {
                            err.println("bench: " + engine.name() + " (" + p + " producers, " + size + " B) failed: " + e);
                            failed = true;
                        } finally {
                            delete(dir);
                        }
                    }
                }
            }
        } finally {
            delete(root);
        }
        out.print(json ? JournalTable.json(results) : JournalTable.format(results));
        return failed ? 1 : 0;
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
