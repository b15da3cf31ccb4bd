package io.fdloop.cli.bench.http;

import io.fdloop.cli.bench.EngineChoice;
import io.fdloop.cli.bench.FdloopCommands;
import io.fdloop.cli.bench.GroupedBarPlot;
import io.fdloop.cli.bench.Progress;
import io.fdloop.cli.bench.Terminal;
import io.fdloop.cli.bench.Units;
import io.fdloop.cli.bench.proc.JavaCommand;
import io.fdloop.cli.bench.proc.Pinning;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench --http}: every selected static-file server on every case, each server in its own
 * process on one core and wrk on the other, over the same corpus; then the table (or JSON) and
 * the plot.
 *
 * <p><b>Not thread-safe</b>: one run, on the calling thread.
 */
public final class HttpBenchmark {
    private final HttpJob job;
    private final List<String> engineNames;
    private final FdloopCommands commands;
    private final boolean json;
    private final Path plot;

    /** {@code engineNames} null: every engine. */
    public HttpBenchmark(HttpJob job, List<String> engineNames, FdloopCommands commands, boolean json, Path plot) {
        this.job = job;
        this.engineNames = engineNames;
        this.commands = commands;
        this.json = json;
        this.plot = plot;
    }

    /** The engines asked for; IllegalArgumentException naming the known ones for an unknown name. */
    public List<HttpEngine> selected() {
        return EngineChoice.byName(HttpEngines.all(commands), engineNames, HttpEngine::name, "--http");
    }

    /** Runs; 0 when everything available ran, 1 when something failed, 2 when nothing could run. */
    public int run(PrintStream out, PrintStream err) throws InterruptedException {
        List<HttpEngine> engines;
        try {
            engines = selected();
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage());
            return 2;
        }
        String missing = Wrk.unavailableBecause();
        if (missing == null) {
            missing = Pinning.unavailableBecause();
        }
        if (missing != null) {
            err.println("bench: --http cannot run: " + missing);
            return 2;
        }
        List<HttpEngine> available = new ArrayList<>();
        for (HttpEngine engine : engines) {
            String cause = engine.unavailableBecause();
            if (cause == null) {
                available.add(engine);
            } else {
                err.println("bench: skipping " + engine.name() + ": " + cause);
            }
        }
        List<HttpCase> cases = new ArrayList<>(job.cases());
        if (cases.contains(HttpCase.COLD_4M)) {
            String cold = PageCache.cannotDropBecause(Path.of(System.getProperty("java.io.tmpdir")));
            if (cold != null) {
                err.println("bench: skipping cold-4m: " + cold);
                cases.remove(HttpCase.COLD_4M);
            }
        }
        List<HttpResult> results = new ArrayList<>();
        boolean failed = false;
        Progress progress = Progress.of(err, Terminal.stderrIsTerminal(), json);
        long coldBytes = cases.contains(HttpCase.COLD_4M) ? job.coldBytes() : 0;
        if (coldBytes > 0 && (!json || Terminal.stderrIsTerminal())) {
            err.println("bench: laying out " + Units.bytes(coldBytes) + " of 4 MiB files for cold-4m");
        }
        try (Corpus corpus = Corpus.create(coldBytes)) {
            Pinning pinning = Pinning.ofThisProcess();
            HttpRun run = new HttpRun(job, corpus, pinning, progress);
            for (HttpCase c : cases) {
                for (HttpEngine engine : available) {
                    try {
                        results.add(run.run(engine, c));
                    } catch (IOException e) {
                        err.println("bench: " + engine.name() + " on " + c.cliName() + " failed: " + e.getMessage());
                        failed = true;
                    }
                }
            }
            String reproduce = reproduce(engines);
            if (json) {
                out.print(HttpJson.format(results, reproduce));
            } else {
                out.println(job.describe());
                out.printf(Locale.ROOT, "server pinned to CPU %d, wrk to CPU %d; Java engines run with %s; "
                                + "cold-4m reads %d files, each at most once, beside a probe of %s (%d connections, a request "
                                + "each 2 ms)%n", pinning.server(), pinning.client(), String.join(" ", JavaCommand.JVM_OPTIONS),
                        corpus.coldFiles(), "/hot-4k.bin", 4);
                if (cases.contains(HttpCase.COLD_4M) && available.stream().anyMatch(e -> e.name().equals("nginx"))) {
                    String aio = Nginx.coldAio();
                    out.println("nginx on cold-4m: " + aio + "; directio 4m;" + (aio.equals("aio on") ? ""
                            : " (this nginx was built without --with-file-aio: its thread pool reads the O_DIRECT files)"));
                }
                out.println("reproduce: " + reproduce);
                out.print(HttpTable.format(results));
            }
        } catch (IOException e) {
            err.println("bench: " + e.getMessage());
            return 1;
        }
        if (plot != null) {
            failed |= !writePlot(results, out, err);
        }
        return failed ? 1 : results.isEmpty() ? 2 : 0;
    }

    public String reproduce(List<HttpEngine> engines) {
        return String.format(Locale.ROOT, "./fdloop bench --http --cases %s --connections %d --runtime %s --warmup %s%s --engines %s",
                String.join(",", job.cases().stream().map(HttpCase::cliName).toList()), job.connections(),
                Units.duration(job.runtimeNs()), Units.duration(job.warmupNs()),
                job.cases().contains(HttpCase.COLD_4M) ? " --size " + Units.bytes(job.coldBytes()) : "",
                String.join(",", engines.stream().map(HttpEngine::name).toList()));
    }

    private boolean writePlot(List<HttpResult> results, PrintStream out, PrintStream err) {
        List<GroupedBarPlot.Bar> bars = new ArrayList<>();
        for (HttpResult r : results) {
            bars.add(new GroupedBarPlot.Bar(r.httpCase().cliName(), r.engine(), r.wrk().requestsPerSecond(), r.wrk().p99Us()));
        }
        try {
            GroupedBarPlot.write(plot, "fdloop bench --http: static files, wrk -t1 -c" + job.connections(),
                    String.format(Locale.ROOT, "%s per case, server and wrk on one core each, %d cores, Linux %s",
                            Units.duration(job.runtimeNs()), Runtime.getRuntime().availableProcessors(),
                            System.getProperty("os.version")), bars);
            if (!json) {
                out.println("plot: " + plot.toAbsolutePath());
            }
            return true;
        } catch (IOException e) {
            err.println("bench: no plot: " + e.getMessage());
            return false;
        }
    }
}
