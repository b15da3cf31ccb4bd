package io.fdloop.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * fio itself, at its best settings for the job: batched submission and completion
 * ({@code iodepth_batch_submit=QD}, {@code iodepth_batch_complete_min=1},
 * {@code iodepth_batch_complete_max=QD}) and, for libaio, reaping from the user-space ring
 * ({@code userspace_reap=1}). One job, one thread; the warm-up of a time-based run is fio's
 * {@code ramp_time}.
 *
 * <p>Its numbers come from fio's JSON, the mixed (read + write) statistics: IOPS; latency
 * percentiles from {@code lat_ns} ({@code --lat_percentiles=1}), fio's time from preparing a
 * request to reaping its completion, which is what bench measures for its own engines (from
 * handing the request over to its callback); {@code clat_ns}, from the submit call's return to the
 * completion, leaves out the time a request waits for its batch's {@code io_submit} and runs far
 * below that at high queue depths, so it is kept apart ({@link Result#fioClat()}); CPU from the
 * job's {@code usr_cpu} and {@code sys_cpu} (fio's own thread: fio measures itself); context
 * switches from its {@code ctx}.
 * fio does not verify here: {@code --verify} is bench's pattern, not fio's.
 */
public final class FioEngine implements Engine {
    private final String ioengine;

    /** {@code ioengine}: {@code libaio} or {@code io_uring}. */
    public FioEngine(String ioengine) {
        this.ioengine = ioengine;
    }

    @Override
    public String name() {
        return ioengine.equals("libaio") ? "fio-libaio" : "fio-uring";
    }

    @Override
    public String unavailableBecause() {
        try {
            Process probe = new ProcessBuilder("fio", "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor() == 0 ? null : "fio --version failed";
        } catch (IOException e) {
            return "fio is not installed (apt-get install fio)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while looking for fio";
        }
    }

    /** The fio command line for {@code job}. */
    public List<String> command(Job job) {
        int qd = job.queueDepth();
        List<String> command = new ArrayList<>(List.of("fio", "--name=" + name(), "--filename=" + job.file(),
                "--rw=" + job.rw().fioName(), "--bs=" + job.blockSize(), "--ioengine=" + ioengine,
                "--iodepth=" + qd, "--iodepth_batch_submit=" + qd, "--iodepth_batch_complete_min=1",
                "--iodepth_batch_complete_max=" + qd, "--direct=" + (job.direct() ? 1 : 0), "--size=" + job.size(),
                "--numjobs=1", "--thread", "--group_reporting", "--unified_rw_reporting=mixed",
                "--lat_percentiles=1", "--output-format=json"));
        if (job.timeBased()) {
            command.add("--runtime=" + Math.max(1, TimeUnit.NANOSECONDS.toMillis(job.runtimeNs())) + "ms");
            command.add("--time_based");
            if (job.warmupNs() > 0) {
                command.add("--ramp_time=" + TimeUnit.NANOSECONDS.toMillis(job.warmupNs()) + "ms");
            }
        } else {
            // no ramp_time here: fio counts the ramp's requests against io_size, and has no JIT to warm up
            command.add("--io_size=" + job.ops() * job.blockSize());
        }
        if (ioengine.equals("libaio")) {
            command.add("--userspace_reap=1");
        }
        return command;
    }

    @Override
    public Result run(Job job, Progress progress) throws Exception {
        List<String> command = command(job);
        Process fio = new ProcessBuilder(command).start();
        CompletableFuture<String> out = drain(fio.getInputStream());
        CompletableFuture<String> err = drain(fio.getErrorStream());
        long startNs = System.nanoTime();
        long expectedNs = job.warmupNs() + (job.timeBased() ? job.runtimeNs() : 0);
        progress.begin(Measurement.label(name(), job));
        try {
            while (!fio.waitFor(progress.animated() ? 200 : 1000, TimeUnit.MILLISECONDS)) {
                double elapsed = System.nanoTime() - startNs;
                progress.update(expectedNs == 0 ? 0.5 : elapsed / expectedNs, "fio running");
            }
        } finally {
            progress.end();
            if (fio.isAlive()) {
                fio.destroy();
            }
        }
        if (fio.exitValue() != 0) {
            throw new IOException("fio failed (exit " + fio.exitValue() + "): " + err.get().strip() + "\n  command: "
                    + String.join(" ", command));
        }
        return parse(name(), job, out.get());
    }

    /** The result in fio's JSON output {@code json} for {@code job}. */
    static Result parse(String name, Job job, String json) throws IOException {
        Object root = JsonParser.parse(json);
        Object jobs = JsonParser.at(root, "jobs");
        if (!(jobs instanceof List<?> list) || list.isEmpty()) {
            throw new IOException("fio's JSON has no jobs");
        }
        Object first = list.getFirst();
        Map<?, ?> mixed = (Map<?, ?>) JsonParser.at(first, "mixed");
        if (mixed == null) {
            throw new IOException("fio's JSON has no mixed statistics (--unified_rw_reporting=mixed)");
        }
        long operations = (long) number(mixed, "total_ios");
        double seconds = number(mixed, "runtime") / 1000.0;
        double cpuPercent = number(first, "usr_cpu") + number(first, "sys_cpu");
        long contextSwitches = (long) number(first, "ctx");
        return new Result(name, job, operations, seconds, cpuPercent / 100.0 * seconds * 1e6, contextSwitches, 1,
                Double.NaN, latency(mixed, "lat_ns"), latency(mixed, "clat_ns"));
    }

    private static Result.Latency latency(Object mixed, String kind) throws IOException {
        return new Result.Latency(percentile(mixed, kind, "50.000000"), percentile(mixed, kind, "99.000000"),
                percentile(mixed, kind, "99.900000"), number(mixed, kind, "max") / 1000.0);
    }

    private static double percentile(Object mixed, String kind, String key) {
        Object value = JsonParser.at(mixed, kind, "percentile", key);
        return value instanceof Double d ? d / 1000.0 : Double.NaN;
    }

    private static double number(Object node, String... path) throws IOException {
        if (JsonParser.at(node, path) instanceof Double d) {
            return d;
        }
        throw new IOException("fio's JSON has no " + String.join(".", path).toLowerCase(Locale.ROOT));
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return text;
    }
}
