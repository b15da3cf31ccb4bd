package io.fdloop.cli;

import io.fdloop.FileBackendChoice;
import io.fdloop.cli.bench.Engine;
import io.fdloop.cli.bench.FdloopEngine;
import io.fdloop.cli.bench.FioEngine;
import io.fdloop.cli.bench.Job;
import io.fdloop.cli.bench.Result;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code fdloop bench}: fdloop's file backends, optionally beside fio on the same job in the same run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure fdloop's file I/O in fio's terms, optionally beside fio itself (--vs-fio).")
final class BenchCommand implements Callable<Integer> {
    private static final Map<String, Engine> ENGINES = new LinkedHashMap<>();

    static {
        ENGINES.put("fdloop-aio", new FdloopEngine("fdloop-aio", FileBackendChoice.AIO));
        ENGINES.put("fdloop-uring", new FdloopEngine("fdloop-uring", FileBackendChoice.URING));
        ENGINES.put("fdloop-threads", new FdloopEngine("fdloop-threads", FileBackendChoice.THREADS));
    }

    @Option(names = "--file", paramLabel = "PATH",
            description = "File or device (/dev/zero works). Default: a temporary file of --size in the working directory, laid out first and deleted afterwards.")
    Path file;

    @Option(names = "--rw", defaultValue = "randread", description = "read, randread, write or randwrite (default: ${DEFAULT-VALUE}).")
    String rw;

    @Option(names = "--bs", defaultValue = "4k", description = "Block size, e.g. 4k, 64k, 1m (default: ${DEFAULT-VALUE}).")
    String blockSize;

    @Option(names = "--qd", defaultValue = "32", description = "Queue depth: requests kept outstanding (default: ${DEFAULT-VALUE}).")
    int queueDepth;

    @Option(names = "--direct", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "O_DIRECT (default); ignored for character devices such as /dev/zero.")
    boolean direct;

    @Option(names = "--size", defaultValue = "256m", description = "Bytes the offsets range over (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--runtime", defaultValue = "5s", description = "Measuring time per engine, e.g. 10s (default: ${DEFAULT-VALUE}).")
    String runtime;

    @Option(names = "--warmup", defaultValue = "1s", description = "Unmeasured time first, for the JVM engines (default: ${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--engines", split = ",", description = "Engines to run: fdloop-aio, fdloop-uring, fdloop-threads (default: every one available here).")
    List<String> engines;

    @Option(names = "--vs-fio", description = "Also run fio (libaio with userspace_reap, and io_uring) at its best settings for the job, and print the ratios.")
    boolean vsFio;

    @Option(names = "--json", description = "Print one JSON array instead of the table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<Engine> selected = new ArrayList<>();
        for (String name : engines != null ? engines : List.copyOf(ENGINES.keySet())) {
            Engine engine = ENGINES.get(name);
            if (engine == null) {
                System.err.println("bench: unknown engine " + name + "; known: " + String.join(", ", ENGINES.keySet()));
                return 2;
            }
            selected.add(engine);
        }
        if (vsFio) {
            selected.add(new FioEngine("libaio"));
            selected.add(new FioEngine("io_uring"));
        }
        boolean temporary = file == null;
        Path path = temporary ? Files.createTempFile(Path.of("").toAbsolutePath(), "fdloop-bench-", ".dat") : file;
        try {
            long bytes = parseSize(size);
            if (temporary) {
                layOut(path, bytes);
            }
            boolean device = !Files.isRegularFile(path);
            Job job = new Job(path, rw, (int) parseSize(blockSize), queueDepth, direct && !device, bytes,
                    parseDuration(runtime), parseDuration(warmup));
            List<Result> results = new ArrayList<>();
            for (Engine engine : selected) {
                String unavailable = engine.unavailableBecause();
                if (unavailable != null) {
                    System.err.println("bench: skipping " + engine.name() + ": " + unavailable);
                    continue;
                }
                if (!json) {
                    System.err.println("bench: running " + engine.name() + " ...");
                }
                results.add(engine.run(job));
            }
            System.out.print(json ? toJson(results) : toTable(results));
            return 0;
        } finally {
            if (temporary) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void layOut(Path path, long bytes) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        byte[] random = new byte[1 << 20];
        new Random(1).nextBytes(random);
        chunk.put(random).flip();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            for (long written = 0; written < bytes; written += chunk.capacity()) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), bytes - written));
                channel.write(chunk, written);
            }
            channel.force(true);
        }
    }

    private static String toTable(List<Result> results) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-16s %-9s %6s %4s %12s %10s %10s %11s%n",
                "engine", "rw", "bs", "qd", "IOPS", "MiB/s", "cpu_us/op", "alloc_B/op"));
        for (Result r : results) {
            out.append(String.format(Locale.ROOT, "%-16s %-9s %6d %4d %,12.0f %10.1f %10.2f %11s%n", r.engine(),
                    r.job().rw(), r.job().blockSize(), r.job().queueDepth(), r.iops(), r.mibPerSecond(),
                    r.cpuMicrosPerOperation(), Double.isNaN(r.allocatedBytesPerOperation()) ? "-"
                            : String.format(Locale.ROOT, "%.2f", r.allocatedBytesPerOperation())));
        }
        for (Result fdloop : results) {
            if (!fdloop.engine().startsWith("fdloop")) {
                continue;
            }
            for (Result fio : results) {
                if (fio.engine().startsWith("fio")) {
                    out.append(String.format(Locale.ROOT, "ratio %s / %s: %.2fx IOPS, %.2fx CPU per op%n",
                            fdloop.engine(), fio.engine(), fdloop.iops() / fio.iops(),
                            fdloop.cpuMicrosPerOperation() / fio.cpuMicrosPerOperation()));
                }
            }
        }
        return out.toString();
    }

    private static String toJson(List<Result> results) {
        List<String> objects = new ArrayList<>();
        for (Result r : results) {
            objects.add(String.format(Locale.ROOT,
                    "{\"engine\": \"%s\", \"rw\": \"%s\", \"bs\": %d, \"qd\": %d, \"direct\": %b, \"iops\": %.1f, "
                            + "\"mib_s\": %.2f, \"cpu_us_per_op\": %.3f, \"alloc_b_per_op\": %s, \"ops\": %d, "
                            + "\"seconds\": %.3f}",
                    r.engine(), r.job().rw(), r.job().blockSize(), r.job().queueDepth(), r.job().direct(), r.iops(),
                    r.mibPerSecond(), r.cpuMicrosPerOperation(), Double.isNaN(r.allocatedBytesPerOperation()) ? "null"
                            : String.format(Locale.ROOT, "%.3f", r.allocatedBytesPerOperation()),
                    r.operations(), r.seconds()));
        }
        return "[\n  " + String.join(",\n  ", objects) + "\n]\n";
    }

    static long parseSize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            long value = Long.parseLong(digits) * unit;
            if (value <= 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a size is a positive number with an optional k, m or g, was " + text);
        }
    }

    static long parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return TimeUnit.MILLISECONDS.toNanos(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return TimeUnit.SECONDS.toNanos(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return TimeUnit.SECONDS.toNanos(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a duration is like 10s or 500ms, was " + text);
        }
    }
}
