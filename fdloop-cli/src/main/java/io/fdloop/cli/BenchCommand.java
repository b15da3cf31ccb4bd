package io.fdloop.cli;

import io.fdloop.file.DirectIoSupport;
import io.fdloop.cli.bench.Engine;
import io.fdloop.cli.bench.Engines;
import io.fdloop.cli.bench.FioEngine;
import io.fdloop.cli.bench.Job;
import io.fdloop.cli.bench.JsonReport;
import io.fdloop.cli.bench.Layout;
import io.fdloop.cli.bench.Plot;
import io.fdloop.cli.bench.Progress;
import io.fdloop.cli.bench.Result;
import io.fdloop.cli.bench.Rw;
import io.fdloop.cli.bench.Table;
import io.fdloop.cli.bench.Terminal;
import io.fdloop.cli.bench.Units;
import io.fdloop.cli.bench.journal.JournalBench;
import io.fdloop.cli.bench.FdloopCommands;
import io.fdloop.cli.bench.http.HttpBenchmark;
import io.fdloop.cli.bench.http.HttpCase;
import io.fdloop.cli.bench.http.HttpJob;
import io.fdloop.cli.bench.net.EchoBenchmark;
import io.fdloop.cli.bench.net.EchoJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code fdloop bench}: fdloop's file backends beside the JDK's channels, Artemis's JNI libaio
 * binding and, with {@code --vs-fio}, fio itself, on the same job in the same run; with
 * {@code --net echo} or {@code --http}, network servers in processes of their own (see
 * {@link EchoBenchmark} and {@link HttpBenchmark}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure file I/O in fio's terms: fdloop's backends beside the JDK's FileChannel and "
                + "AsynchronousFileChannel, Artemis's JNI libaio binding and (--vs-fio) fio itself, each keeping "
                + "--qd requests outstanding on the same file.",
                "",
                "Engines: fdloop-aio, fdloop-uring, fdloop-threads (one loop thread, callback form), jdk-filechannel "
                        + "(positional reads/writes on qd platform threads), jdk-filechannel-vt (on qd virtual threads), "
                        + "jdk-async (AsynchronousFileChannel, qd outstanding), artemis (activemq-artemis-native "
                        + "LibaioContext; needs libaio1); fio-libaio and fio-uring with --vs-fio.",
                "",
                "Columns: latency is from handing a request over to its completion (fio: lat = slat + clat; "
                        + "--json also gives fio's clat); CPU and context switches are the whole "
                        + "process's (fio: its job thread's); threads are the Java threads that ran at least 0.1%% of "
                        + "the measured time; allocation is fdloop's loop thread's, or every thread's for the others.",
                "",
                "Network: --net echo runs echo servers (fdloop-epoll, fdloop-uring, netty-epoll, netty-uring, jdk-nio, "
                        + "jdk-vthreads), each in its own JVM pinned to one core, against one load generator pinned to "
                        + "the other (--connections, --size bytes per message, --pipeline messages in flight, "
                        + "--idle-connections for memory per connection). --http runs static-file servers (fdloop-epoll, "
                        + "fdloop-uring, nginx, jwebserver, netty-http) under wrk over --cases. Both report the server's "
                        + "CPU per request and core utilisation, and flag figures where the server core was not saturated."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--rw", paramLabel = "MODE", defaultValue = "randread", converter = RwConverter.class,
            description = "read, write, randread, randwrite or randrw (half each) (default: ${DEFAULT-VALUE}).")
    Rw rw;

    @Option(names = "--bs", paramLabel = "SIZE", defaultValue = "4k", converter = SizeConverter.class,
            description = "Block size, e.g. 4k, 64k, 1m (default: ${DEFAULT-VALUE}).")
    long blockSize;

    @Option(names = "--qd", defaultValue = "32", split = ",", paramLabel = "N",
            description = "Queue depth: requests kept outstanding; a list such as 1,4,16,64 runs each (default: ${DEFAULT-VALUE}).")
    List<Integer> queueDepths;

    @Option(names = "--direct", paramLabel = "1|0", negatable = true, defaultValue = "true", fallbackValue = "true", arity = "0..1",
            converter = FlagConverter.class,
            description = "O_DIRECT, also --direct=1/0 (default: ${DEFAULT-VALUE}); ignored for character devices such as /dev/zero.")
    boolean direct;

    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "256m", converter = SizeConverter.class,
            description = "Bytes of the file the offsets range over (default: ${DEFAULT-VALUE}); --net echo: bytes per message (default there: 64); --http: bytes of 4 MiB files cold-4m reads from (default there: 4g).")
    long size;

    @Option(names = "--runtime", paramLabel = "TIME", defaultValue = "3s", converter = DurationConverter.class,
            description = "Measuring time per engine, e.g. 10s, 500ms (default: ${DEFAULT-VALUE}; --net: 5s; --http: 10s per case).")
    long runtimeNs;

    @Option(names = "--ops", defaultValue = "0", paramLabel = "N",
            description = "Measure N requests per engine instead of --runtime.")
    long ops;

    @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "1s", converter = DurationConverter.class,
            description = "Unmeasured time first, per engine (fio: ramp_time) (default: ${DEFAULT-VALUE}; --net: 2s; --http: 5s per case).")
    long warmupNs;

    @Option(names = "--file", paramLabel = "PATH",
            description = "File or device (/dev/zero works). Default: a temporary file of --size in the working directory, laid out first and deleted afterwards.")
    Path file;

    @Option(names = "--engines", split = ",", paramLabel = "NAME",
            description = "Engines to run (default: every one available here).")
    List<String> engines;

    @Option(names = "--verify",
            description = "Writes carry a checksummed pattern with their block's offset, reads check it; a mismatch fails the run. "
                    + "Lays the pattern out over the first --size bytes of the file first (so it overwrites --file).")
    boolean verify;

    @Option(names = "--vs-fio",
            description = "Also run fio (libaio with userspace_reap, and io_uring) at its best settings for the job, each right after its fdloop peer, and print the ratios.")
    boolean vsFio;

    @Option(names = "--json", description = "Print one JSON array, one object per engine and queue depth, instead of the table.")
    boolean json;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Also draw IOPS and p99 latency per engine (against queue depth in a sweep) into a PNG.")
    Path plot;

    @Option(names = "--journal", description = "Benchmark group-commit journals instead: fdloop's journal in each durability mode "
            + "(fdloop-journal-fdatasync, -linked_fdatasync, -dsync, -none), a FileChannel writer thread doing group commit (filechannel) and "
            + "ActiveMQ Artemis's AIO journal (artemis); --producers threads each append and wait, --record bytes each.")
    boolean journal;

    @Option(names = "--producers", defaultValue = "1,4,16,64", split = ",", paramLabel = "N",
            description = "With --journal: appending threads, a list runs each (default: ${DEFAULT-VALUE}).")
    List<Integer> producers;

    @Option(names = "--record", defaultValue = "256,4k", split = ",", paramLabel = "SIZE", converter = IntSizeConverter.class,
            description = "With --journal: record sizes, a list runs each (default: ${DEFAULT-VALUE}).")
    List<Integer> recordSizes;

    @Option(names = "--dir", paramLabel = "PATH",
            description = "With --journal: where the engines' files go, in a temporary directory removed afterwards (default: the working directory).")
    Path journalDir;

    /** Why --bs cannot be read and written with O_DIRECT on {@code path}'s file system, or null. */
    private String directProblem(Path path) throws IOException {
        DirectIoSupport support = DirectIoSupport.probe(path);
        if (!support.supported()) {
            return "O_DIRECT does not work on " + path + " (" + support.reason() + "); run with --no-direct";
        }
        int unit = support.alignment().offset();
        if (blockSize % unit != 0) {
            return "--bs " + blockSize + " is not a multiple of " + unit + " bytes, which O_DIRECT needs on this "
                    + support.fileSystemType() + " file system (from " + support.alignment().source()
                    + "); give a multiple, or --no-direct";
        }
        return null;
    }
    @Option(names = "--net", paramLabel = "MODE",
            description = "Benchmark network servers instead of files: echo (the only mode).")
    String net;

    @Option(names = "--http", description = "Benchmark static-file HTTP servers under wrk instead of files.")
    boolean http;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "64",
            description = "--net/--http: connections carrying the load (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--pipeline", paramLabel = "N", defaultValue = "1",
            description = "--net echo: messages each connection keeps in flight (default: ${DEFAULT-VALUE}).")
    int pipeline;

    @Option(names = "--idle-connections", paramLabel = "N", defaultValue = "10000",
            description = "--net echo: idle connections opened after the run to measure the server's memory per "
                    + "connection; 0 skips it (default: ${DEFAULT-VALUE}).")
    int idleConnections;

    @Option(names = "--cases", split = ",", paramLabel = "CASE",
            description = "--http: cases to run (default: all of hot-13b, hot-4k, hot-64k, hot-1m, pipeline-13b, cold-4m).")
    List<String> cases;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (net != null || http) {
            return network();
        }
        PrintStream err = System.err;
        if (journal) {
            try {
                return JournalBench.run(engines != null ? engines : JournalBench.ENGINES, null,
                        producers, recordSizes, warmupNs, runtimeNs,
                        journalDir != null ? journalDir : Path.of("").toAbsolutePath(), json, System.out, err);
            } catch (IllegalArgumentException e) {
                err.println("bench: " + e.getMessage());
                return 2;
            }
        }
        List<Engine> selected;
        List<Job> jobs = new ArrayList<>();
        try {
            selected = selectEngines();
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage());
            return 2;
        }
        boolean temporary = file == null;
        Path path = file;
        if (temporary) {
            Path here = Path.of("").toAbsolutePath();
            try {
                path = Files.createTempFile(here, "fdloop-bench-", ".dat");
            } catch (IOException e) {
                err.println("bench: cannot create a scratch file in " + here + " (" + Errors.reason(e)
                        + "); name one on a writable file system with --file PATH");
                return 1;
            }
        }
        if (temporary) {
            path.toFile().deleteOnExit(); // also when the run is interrupted (^C runs the shutdown hooks)
        }
        try {
            String problem = checkFile(path, temporary);
            if (problem != null) {
                err.println("bench: " + problem);
                return 2;
            }
            boolean characterDevice = isCharacterDevice(path);
            if (verify && characterDevice) {
                err.println("bench: --verify needs a file or block device to write its pattern to, not " + path);
                return 2;
            }
            String misaligned = direct && !characterDevice ? directProblem(path) : null;
            if (misaligned != null) {
                err.println("bench: " + misaligned);
                return 2;
            }
            try {
                for (int qd : queueDepths) {
                    jobs.add(new Job(path, rw, Math.toIntExact(blockSize), qd, direct && !characterDevice, size,
                            runtimeNs, warmupNs, ops, verify));
                }
            } catch (IllegalArgumentException | ArithmeticException e) {
                err.println("bench: " + e.getMessage());
                return 2;
            }
            if (temporary || verify) {
                if (!json || Terminal.stderrIsTerminal()) {
                    err.println("bench: laying out " + Units.bytes(size) + " of " + path + (verify ? " with the verify pattern" : ""));
                }
                Layout.write(path, size, Math.toIntExact(blockSize), verify);
            }
            return run(selected, jobs, err);
        } finally {
            if (temporary) {
                Files.deleteIfExists(path);
            }
        }
    }

    private int network() throws InterruptedException {
        PrintStream err = System.err;
        if (net != null && http) {
            err.println("bench: --net and --http are two benchmarks: give one");
            return 2;
        }
        long runtime = given("--runtime") ? runtimeNs : TimeUnit.SECONDS.toNanos(http ? 10 : 5);
        // a JVM server pinned to one core is still compiling after 2 s of HTTP: --http warms up longer
        long warmup = given("--warmup") ? warmupNs : TimeUnit.SECONDS.toNanos(http ? 5 : 2);
        try {
            if (http) {
                HttpJob job = new HttpJob(HttpCase.parseAll(cases), connections, runtime, warmup,
                        given("--size") ? size : HttpJob.DEFAULT_COLD_BYTES);
                return new HttpBenchmark(job, engines, fdloopCommands(), json, plot).run(System.out, err);
            }
            if (!net.equals("echo")) {
                err.println("bench: --net knows one benchmark, echo; was " + net);
                return 2;
            }
            int messageSize = given("--size") ? Math.toIntExact(size) : 64;
            EchoJob job = new EchoJob(connections, messageSize, pipeline, warmup, runtime, idleConnections);
            return new EchoBenchmark(job, engines, fdloopCommands(), json, plot).run(System.out, err);
        } catch (IllegalArgumentException | ArithmeticException e) {
            err.println("bench: " + e.getMessage());
            return 2;
        }
    }

    /** Whether the user gave {@code option} (the network benchmarks have defaults of their own). */
    private boolean given(String option) {
        return spec != null && spec.commandLine() != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** The commands of this fdloop build and their options, which decide whether fdloop's servers can run. */
    private FdloopCommands fdloopCommands() {
        Map<String, Set<String>> commands = new HashMap<>();
        CommandSpec root = spec == null ? null : spec.root();
        if (root != null) {
            for (Map.Entry<String, CommandLine> sub : root.subcommands().entrySet()) {
                Set<String> names = new HashSet<>();
                for (OptionSpec option : sub.getValue().getCommandSpec().options()) {
                    names.addAll(List.of(option.names()));
                }
                commands.put(sub.getKey(), names);
            }
        }
        return new FdloopCommands(commands);
    }

    private int run(List<Engine> selected, List<Job> jobs, PrintStream err) throws IOException {
        Progress progress = Progress.of(err, Terminal.stderrIsTerminal(), json);
        List<Result> results = new ArrayList<>();
        boolean failed = false;
        boolean patternLost = false;
        for (Job job : jobs) {
            for (Engine engine : selected) {
                boolean fio = engine instanceof FioEngine;
                if (patternLost && !fio) {
                    // fio wrote its own data over the verify pattern: lay it out again for the next checker
                    Layout.write(job.file(), job.size(), job.blockSize(), true);
                    patternLost = false;
                }
                try {
                    results.add(engine.run(job, progress));
                } catch (Exception e) {
                    err.println("bench: " + engine.name() + " (qd " + job.queueDepth() + ") failed: " + describe(e));
                    failed = true;
                }
                patternLost |= fio && job.verify() && job.rw().writes();
            }
        }
        if (json) {
            System.out.print(JsonReport.format(results));
        } else {
            Job job = jobs.getFirst();
            System.out.printf(Locale.ROOT, "%s %s%s on %s, %s per engine after %s of warm-up%n", job.rw(),
                    Units.bytes(job.blockSize()), job.direct() ? " O_DIRECT" : "", job.file(),
                    job.timeBased() ? seconds(job.runtimeNs()) : job.ops() + " requests", seconds(job.warmupNs()));
            System.out.print(Table.format(results));
        }
        if (plot != null) {
            try {
                Plot.write(results, plot);
                if (!json) {
                    System.out.println("plot: " + plot.toAbsolutePath());
                }
            } catch (IOException e) {
                err.println("bench: no plot: " + describe(e));
                failed = true;
            }
        }
        return failed ? 1 : 0;
    }

    private List<Engine> selectEngines() {
        for (int qd : queueDepths) {
            if (qd < 1 || qd > 65536) {
                throw new IllegalArgumentException("--qd must be 1 to 65536, was " + qd);
            }
        }
        List<Engine> selected = new ArrayList<>();
        List<String> names = engines != null ? engines : Engines.NAMES;
        for (String name : names) {
            selected.add(Engines.create(name.trim()));
        }
        if (vsFio) {
            selected = Engines.withFio(selected);
        }
        List<Engine> available = new ArrayList<>();
        for (Engine engine : selected) {
            String cause = engine.unavailableBecause();
            if (cause == null) {
                available.add(engine);
            } else {
                System.err.println("bench: skipping " + engine.name() + ": " + cause);
            }
        }
        return available;
    }

    /** Why {@code path} cannot be benchmarked, or null. */
    private String checkFile(Path path, boolean temporary) throws IOException {
        if (temporary) {
            return null;
        }
        if (!Files.exists(path)) {
            return path + " does not exist (leave out --file for a temporary one)";
        }
        if (Files.isRegularFile(path) && rw.reads() && !verify && Files.size(path) < size) {
            return path + " holds " + Files.size(path) + " bytes, less than --size " + Units.bytes(size)
                    + ": lower --size, or lay it out first";
        }
        return null;
    }

    private static boolean isCharacterDevice(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            return (mode & 0170000) == 0020000; // S_IFMT, S_IFCHR
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.toString() : message;
    }

    private static String seconds(long ns) {
        return ns % 1_000_000_000L == 0 ? ns / 1_000_000_000L + " s" : String.format(Locale.ROOT, "%.3f s", ns / 1e9);
    }

    static final class RwConverter implements ITypeConverter<Rw> {
        @Override
        public Rw convert(String value) {
            return Rw.parse(value);
        }
    }

    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return Units.parseSize(value);
        }
    }

    static final class IntSizeConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return Math.toIntExact(Units.parseSize(value));
        }
    }

    static final class DurationConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return Units.parseDuration(value);
        }
    }

    /** true/false, also fio's 1/0. */
    static final class FlagConverter implements ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "1", "true", "yes" -> true;
                case "0", "false", "no" -> false;
                default -> throw new IllegalArgumentException("expected 1, 0, true or false, was " + value);
            };
        }
    }
}
