package io.fdloop.cli.bench.net;

import io.fdloop.cli.bench.EngineChoice;
import io.fdloop.cli.bench.FdloopCommands;
import io.fdloop.cli.bench.GroupedBarPlot;
import io.fdloop.cli.bench.Progress;
import io.fdloop.cli.bench.Terminal;
import io.fdloop.cli.bench.Units;
import io.fdloop.cli.bench.proc.FdLimit;
import io.fdloop.cli.bench.proc.JavaCommand;
import io.fdloop.cli.bench.proc.Pinning;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench --net echo}: every selected echo engine in turn, each server in its own process on
 * one core and the same load generator on the other, then the table (or JSON) and the plot.
 *
 * <p><b>Not thread-safe</b>: one run, on the calling thread.
 */
public final class EchoBenchmark {
    private final EchoJob job;
    private final List<String> engineNames;
    private final FdloopCommands commands;
    private final boolean json;
    private final Path plot;

    /** {@code engineNames} null: every engine. */
    public EchoBenchmark(EchoJob job, List<String> engineNames, FdloopCommands commands, boolean json, Path plot) {
        this.job = job;
        this.engineNames = engineNames;
        this.commands = commands;
        this.json = json;
        this.plot = plot;
    }

    /** The engines asked for, in the order given; IllegalArgumentException naming the known ones for an unknown name. */
    public List<EchoEngine> selected() {
        return EngineChoice.byName(EchoEngines.all(commands), engineNames, EchoEngine::name, "--net echo");
    }

    /** Runs; 0 when every available engine ran, 1 when one failed, 2 when nothing could run. */
    public int run(PrintStream out, PrintStream err) throws InterruptedException {
        List<EchoEngine> engines;
        try {
            engines = selected();
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage());
            return 2;
        }
        String unpinned = Pinning.unavailableBecause();
        if (unpinned != null) {
            err.println("bench: --net echo needs two cores and taskset to pin server and load apart: " + unpinned);
            return 2;
        }
        Pinning pinning;
        try {
            pinning = Pinning.ofThisProcess();
        } catch (IOException e) {
            err.println("bench: " + e.getMessage());
            return 2;
        }
        String idleSkipped = job.idleConnections() == 0 ? null : FdLimit.cannotRaiseTo(job.idleConnections() + 2048);
        if (idleSkipped != null) {
            err.println("bench: skipping memory per idle connection: " + idleSkipped);
        }
        NetBench bench = new NetBench(job, pinning, Progress.of(err, Terminal.stderrIsTerminal(), json));
        List<EchoResult> results = new ArrayList<>();
        boolean failed = false;
        for (EchoEngine engine : engines) {
            String cause = engine.unavailableBecause();
            if (cause != null) {
                err.println("bench: skipping " + engine.name() + ": " + cause);
                continue;
            }
            try {
                results.add(bench.run(engine, idleSkipped));
            } catch (IOException e) {
                err.println("bench: " + engine.name() + " failed: " + e.getMessage());
                failed = true;
            }
        }
        String reproduce = reproduce(engines);
        if (json) {
            out.print(EchoJson.format(results, reproduce));
        } else {
            out.println(job.describe());
            out.printf(Locale.ROOT, "server pinned to CPU %d, load generator to CPU %d; Java engines run with %s%n",
                    pinning.server(), pinning.client(), String.join(" ", JavaCommand.JVM_OPTIONS));
            out.println("reproduce: " + reproduce);
            out.print(EchoTable.format(results));
        }
        if (plot != null) {
            failed |= !writePlot(results, out, err);
        }
        return failed ? 1 : results.isEmpty() ? 2 : 0;
    }

    /** The command line that runs this benchmark again. */
    public String reproduce(List<EchoEngine> engines) {
        return String.format(Locale.ROOT, "./fdloop bench --net echo --connections %d --size %s --pipeline %d "
                        + "--runtime %s --warmup %s --idle-connections %d --engines %s", job.connections(),
                Units.bytes(job.size()), job.pipeline(), Units.duration(job.runtimeNs()), Units.duration(job.warmupNs()),
                job.idleConnections(), String.join(",", engines.stream().map(EchoEngine::name).toList()));
    }

    private boolean writePlot(List<EchoResult> results, PrintStream out, PrintStream err) {
        List<GroupedBarPlot.Bar> bars = new ArrayList<>();
        String group = job.size() + " B, pipeline " + job.pipeline();
        for (EchoResult r : results) {
            bars.add(new GroupedBarPlot.Bar(group, r.engine(), r.requestsPerSecond(), r.load().p99Ns() / 1e3));
        }
        try {
            GroupedBarPlot.write(plot, "fdloop bench --net echo: messages of " + job.size() + " bytes, pipeline "
                            + job.pipeline(),
                    String.format(Locale.ROOT, "%d connections, %s per engine, server and load on one core each, %d cores, Linux %s",
                            job.connections(), Units.duration(job.runtimeNs()), Runtime.getRuntime().availableProcessors(),
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
