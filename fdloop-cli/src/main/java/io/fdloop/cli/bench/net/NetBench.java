package io.fdloop.cli.bench.net;

import io.fdloop.cli.bench.Progress;
import io.fdloop.cli.bench.proc.Contention;
import io.fdloop.cli.bench.proc.JavaCommand;
import io.fdloop.cli.bench.proc.Pinning;
import io.fdloop.cli.bench.proc.PinnedProcess;
import io.fdloop.cli.bench.proc.ProcessSample;
import io.fdloop.cli.bench.proc.ProcessUsage;
import io.fdloop.cli.bench.proc.ServerProcess;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one echo engine: its server on one core, the load generator on the other; the server is
 * read from {@code /proc} when the load opens and closes its window; then, with idle connections
 * asked for, the server's RSS before and after that many idle connections; then SIGTERM.
 *
 * <p><b>Not thread-safe</b>: the controlling thread only.
 */
public final class NetBench {
    private static final long READY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long STEP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long TICK_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long SETTLE_STEP_MS = 250;
    private static final int SETTLE_STEPS = 12;
    private static final long SETTLED_BYTES = 64 * 1024;
    private static final int FD_HEADROOM = 1024;

    private final EchoJob job;
    private final Pinning pinning;
    private final Progress progress;

    public NetBench(EchoJob job, Pinning pinning, Progress progress) {
        this.job = job;
        this.pinning = pinning;
        this.progress = progress;
    }

    /**
     * Runs {@code engine}, measuring memory per idle connection unless {@code idleSkipped} says
     * why not (null: measure, when the job asks for idle connections); an exception that says
     * what failed, with nothing left running.
     */
    public EchoResult run(EchoEngine engine, String idleSkipped) throws IOException, InterruptedException {
        int idle = idleSkipped == null ? job.idleConnections() : 0;
        int serverFds = Math.max(job.connections(), idle) + FD_HEADROOM;
        progress.begin(String.format(Locale.ROOT, "%-14s echo %d B x%d", engine.name(), job.size(), job.pipeline()));
        try (ServerProcess server = ServerProcess.start(engine.launch(1), pinning.server(), serverFds, READY_TIMEOUT_NS)) {
            Measured measured = load(server);
            double idleBytes = Double.NaN;
            String idleNote = idleSkipped;
            if (idle > 0) {
                progress.update(1, "idle connections");
                idleBytes = idleMemory(server, idle);
            }
            server.stop();
            return new EchoResult(engine.name(), engine.baseline(), job, measured.report, measured.server,
                    measured.contention, idleBytes, idleNote, server.command());
        } finally {
            progress.end();
        }
    }

    private record Measured(LoadReport report, ProcessUsage server, Contention contention) {
    }

    private Measured load(ServerProcess server) throws IOException, InterruptedException {
        LoadOptions options = new LoadOptions(server.address(), job.connections(), job.size(), job.pipeline(),
                job.warmupNs(), job.runtimeNs(), 0);
        try (PinnedProcess load = PinnedProcess.start("load", JavaCommand.of(EchoLoad.class.getName(), options.toArgs()),
                pinning.client(), job.connections() + FD_HEADROOM, null, Map.of())) {
            long startNs = System.nanoTime();
            expect(load, server, LoadReport.CONNECTED, STEP_TIMEOUT_NS, startNs);
            expect(load, server, LoadReport.MEASURING, job.warmupNs() + STEP_TIMEOUT_NS, startNs);
            ProcessSample from = server.sample();
            Contention.Readings coresFrom = Contention.Readings.read(pinning);
            expect(load, server, LoadReport.MEASURED, job.runtimeNs() + STEP_TIMEOUT_NS, startNs);
            ProcessSample until = server.sample();
            Contention.Readings coresUntil = Contention.Readings.read(pinning);
            LoadReport report = LoadReport.parse(expect(load, server, LoadReport.RESULT_PREFIX, STEP_TIMEOUT_NS, startNs));
            awaitExit(load);
            ProcessUsage used = until.since(from);
            return new Measured(report, used, Contention.between(coresFrom, coresUntil, used.cpuNs(), report.cpuNs(),
                    used.wallNs()));
        }
    }

    private double idleMemory(ServerProcess server, int idle) throws IOException, InterruptedException {
        LoadOptions options = new LoadOptions(server.address(), 1, 1, 1, 0, TimeUnit.SECONDS.toNanos(1), idle);
        long before = server.sample().rssBytes();
        try (PinnedProcess load = PinnedProcess.start("idle-load", JavaCommand.of(EchoLoad.class.getName(), options.toArgs()),
                pinning.client(), idle + FD_HEADROOM, null, Map.of())) {
            expect(load, server, LoadReport.IDLE_OPEN, STEP_TIMEOUT_NS * 2, System.nanoTime());
            long after = settledRss(server);
            OutputStream commands = load.stdin();
            commands.write('\n');
            commands.close();
            awaitExit(load);
            return (after - before) / (double) idle;
        }
    }

    /** The server's RSS once two readings a quarter of a second apart agree within 64 KiB (at most 3 s). */
    private static long settledRss(ServerProcess server) throws IOException, InterruptedException {
        long previous = server.sample().rssBytes();
        for (int i = 0; i < SETTLE_STEPS; i++) {
            Thread.sleep(SETTLE_STEP_MS);
            long now = server.sample().rssBytes();
            if (Math.abs(now - previous) < SETTLED_BYTES) {
                return now;
            }
            previous = now;
        }
        return previous;
    }

    /**
     * The next line of {@code load} starting with {@code prefix}, skipping others (JVM warnings);
     * an IOException with the load's or the server's last words when it reports an error, exits,
     * or stays silent past {@code timeoutNs}.
     */
    private String expect(PinnedProcess load, ServerProcess server, String prefix, long timeoutNs, long startNs)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutNs;
        while (true) {
            String line = load.nextLine(Math.min(TICK_NS, Math.max(0, deadline - System.nanoTime())));
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line != null && line.startsWith(LoadReport.ERROR_PREFIX)) {
                server.checkAlive();
                throw new IOException("the load generator failed: " + line.substring(LoadReport.ERROR_PREFIX.length()));
            }
            if (line == null) {
                server.checkAlive();
                if (!load.isAlive()) {
                    throw new IOException("the load generator ended before saying '" + prefix.strip() + "': "
                            + load.exitReport());
                }
                if (System.nanoTime() >= deadline) {
                    throw new IOException("the load generator did not say '" + prefix.strip() + "' within "
                            + TimeUnit.NANOSECONDS.toSeconds(timeoutNs) + " s" + load.lastOutput());
                }
            }
            double total = job.warmupNs() + job.runtimeNs();
            progress.update((System.nanoTime() - startNs) / total, prefix.strip());
        }
    }

    private static void awaitExit(PinnedProcess load) throws IOException, InterruptedException {
        int status = load.awaitExit(TimeUnit.SECONDS.toNanos(10));
        if (status == -1) {
            throw new IOException("the load generator did not exit after its run" + load.lastOutput());
        }
        if (status != 0) {
            throw new IOException(load.exitReport());
        }
    }
}
