package io.fdloop.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fio itself, at its best settings for the job: batched submission and completion
 * ({@code iodepth_batch_submit=QD}, {@code iodepth_batch_complete_min=1},
 * {@code iodepth_batch_complete_max=QD}) and, for libaio, reaping from the user-space ring.
 */
public final class FioEngine implements Engine {
    private final String ioengine;

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
        } catch (IOException | InterruptedException e) {
            return "fio is not installed (apt-get install fio)";
        }
    }

    /** The fio command line for {@code job}. */
    public List<String> command(Job job) {
        List<String> command = new ArrayList<>(List.of("fio", "--name=" + name(), "--filename=" + job.file(),
                "--rw=" + job.rw(), "--bs=" + job.blockSize(), "--ioengine=" + ioengine,
                "--iodepth=" + job.queueDepth(), "--iodepth_batch_submit=" + job.queueDepth(),
                "--iodepth_batch_complete_min=1", "--iodepth_batch_complete_max=" + job.queueDepth(),
                "--direct=" + (job.direct() ? 1 : 0), "--size=" + job.size(),
                "--runtime=" + Math.max(1, TimeUnit.NANOSECONDS.toMillis(job.runtimeNs())) + "ms", "--time_based",
                "--numjobs=1", "--thread", "--group_reporting", "--output-format=json"));
        if (ioengine.equals("libaio")) {
            command.add("--userspace_reap=1");
        }
        return command;
    }

    @Override
    public Result run(Job job) throws Exception {
        Process fio = new ProcessBuilder(command(job)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String json = new String(fio.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (fio.waitFor() != 0) {
            throw new IOException("fio failed: " + String.join(" ", command(job)));
        }
        String section = json.substring(json.indexOf(job.writes() ? "\"write\" :" : "\"read\" :"));
        long operations = number(section, "total_ios").longValue();
        double runtimeMs = number(section, "runtime").doubleValue();
        double userPercent = number(json, "usr_cpu").doubleValue();
        double systemPercent = number(json, "sys_cpu").doubleValue();
        double seconds = runtimeMs / 1000.0;
        long cpuNs = (long) ((userPercent + systemPercent) / 100.0 * seconds * 1e9);
        return new Result(name(), job, operations, seconds, cpuNs, Double.NaN);
    }

    private static Number number(String json, String key) throws IOException {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*([-0-9.eE+]+)").matcher(json);
        if (!m.find()) {
            throw new IOException("fio's JSON has no " + key);
        }
        return Double.valueOf(m.group(1));
    }
}
