package io.fdloop.cli.bench.http;

import io.fdloop.cli.bench.Progress;
import io.fdloop.cli.bench.Units;
import io.fdloop.cli.bench.proc.Contention;
import io.fdloop.cli.bench.proc.Pinning;
import io.fdloop.cli.bench.proc.ProcFs;
import io.fdloop.cli.bench.proc.ProcessSample;
import io.fdloop.cli.bench.proc.ProcessUsage;
import io.fdloop.cli.bench.proc.ServerLaunch;
import io.fdloop.cli.bench.proc.ServerProcess;
import io.fdloop.cli.bench.proc.TempDirectory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs one HTTP engine on one case: its server on one core; on the other, an unmeasured wrk run
 * (warm-up), then, for the cold case, the page cache dropped, then the measured wrk run (beside a
 * light probe of a hot 4 KiB file in the cold case) with the server read from {@code /proc} at
 * its start and end; then SIGTERM.
 *
 * <p><b>Not thread-safe</b>: the controlling thread only.
 */
final class HttpRun {
    private static final long READY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final int PROBE_CONNECTIONS = 4;
    private static final int PROBE_DELAY_MS = 2;
    private static final String PROBE_PATH = "/hot-4k.bin";

    private final HttpJob job;
    private final Corpus corpus;
    private final Pinning pinning;
    private final Progress progress;

    HttpRun(HttpJob job, Corpus corpus, Pinning pinning, Progress progress) {
        this.job = job;
        this.corpus = corpus;
        this.pinning = pinning;
        this.progress = progress;
    }

    HttpResult run(HttpEngine engine, HttpCase httpCase) throws IOException, InterruptedException {
        progress.begin(String.format(Locale.ROOT, "%-12s %s", engine.name(), httpCase.cliName()));
        try (TempDirectory scratchDirectory = TempDirectory.create("fdloop-http-run-")) {
            Path scratch = scratchDirectory.path();
            ServerLaunch launch = engine.launcher().launch(corpus.root(), scratch, httpCase);
            try (ServerProcess server = ServerProcess.start(launch, pinning.server(), 0, READY_TIMEOUT_NS)) {
                warmUp(server, httpCase, scratch);
                if (httpCase.cold()) {
                    progress.update(0.2, "dropping the page cache");
                    PageCache.drop();
                }
                progress.update(0.25, "measuring");
                long loadCpuBefore = ProcFs.reapedChildrenCpuNs();
                ProcessSample from = server.sample();
                Contention.Readings coresFrom = Contention.Readings.read(pinning);
                Wrk load = Wrk.start("wrk", script(httpCase), scratch, server.address(), job.connections(),
                        job.runtimeNs(), pinning.client());
                Wrk probe = httpCase.cold() ? Wrk.start("wrk-probe", WrkScript.probe(PROBE_PATH, PROBE_DELAY_MS), scratch,
                        server.address(), PROBE_CONNECTIONS, job.runtimeNs(), pinning.client()) : null;
                WrkResult measured;
                WrkResult probed = null;
                ProcessSample until;
                Contention.Readings coresUntil;
                try {
                    measured = load.finish();
                    until = server.sample();
                    coresUntil = Contention.Readings.read(pinning);
                } finally {
                    if (probe != null) {
                        probe.interrupt();
                    }
                }
                if (probe != null) {
                    probed = probe.finish();
                }
                long loadCpu = ProcFs.reapedChildrenCpuNs() - loadCpuBefore;
                server.stop();
                ProcessUsage used = until.since(from);
                return new HttpResult(engine.name(), engine.baselines(), httpCase, measured, probed, used,
                        Contention.between(coresFrom, coresUntil, used.cpuNs(), loadCpu, used.wallNs()), loadCpu,
                        httpCase.cold() ? corpus.coldFiles() : 0, server.command());
            }
        } finally {
            progress.end();
        }
    }

    private void warmUp(ServerProcess server, HttpCase httpCase, Path scratch) throws IOException, InterruptedException {
        if (job.warmupNs() == 0) {
            return;
        }
        progress.update(0.05, "warming up");
        // the cold case warms up on a hot file: reading the corpus now would leave it in the page cache
        String script = httpCase.cold() ? WrkScript.requests(PROBE_PATH, 1) : script(httpCase);
        WrkResult warm = Wrk.start("wrk-warmup", script, scratch, server.address(), job.connections(), job.warmupNs(),
                pinning.client()).finish();
        if (warm.requests() == 0) {
            throw new IOException(server.engine() + " answered no request in the " + Units.duration(job.warmupNs())
                    + " warm-up (wrk counted " + warm.socketErrors() + " socket errors)");
        }
        if (warm.non2xx() > 0) {
            throw new IOException(server.engine() + " answered " + warm.non2xx() + " of " + warm.requests()
                    + " warm-up requests with an error status: does it serve the corpus at " + corpus.root() + "?");
        }
    }

    private String script(HttpCase httpCase) {
        return httpCase.cold() ? WrkScript.cold(corpus.coldFiles(), job.connections())
                : WrkScript.requests(httpCase.path(), httpCase.pipeline());
    }
}
