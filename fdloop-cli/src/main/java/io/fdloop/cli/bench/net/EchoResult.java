package io.fdloop.cli.bench.net;

import io.fdloop.cli.bench.proc.Contention;
import io.fdloop.cli.bench.proc.ProcessUsage;
import io.fdloop.cli.bench.proc.Saturation;

import java.util.List;

/**
 * What one echo engine achieved: the load generator's count and latencies, the server process's
 * use of its core over the same window, and its memory per idle connection.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param engine             the engine's name
 * @param baseline           the engine its ratio compares it with, or null
 * @param job                the job
 * @param load               what the load generator measured
 * @param server             what the server process used in the window
 * @param contention         how much of the two cores went to other work in the window
 * @param idleBytesPerConnection the server's RSS growth per idle connection, or NaN when not measured
 * @param idleNote           why it was not measured, or null
 * @param serverCommand      the command line the server ran with
 */
public record EchoResult(String engine, String baseline, EchoJob job, LoadReport load, ProcessUsage server,
                         Contention contention,
                         double idleBytesPerConnection, String idleNote, List<String> serverCommand) {

    public double requestsPerSecond() {
        return load.requestsPerSecond();
    }

    /** Megabytes (10^6) echoed per second, each way. */
    public double megabytesPerSecond() {
        return load.windowNs() <= 0 ? 0 : load.bytes() * 1e3 / load.windowNs();
    }

    public double serverCpuUsPerRequest() {
        return perRequest(server.cpuNs() / 1000.0);
    }

    public double serverContextSwitchesPerRequest() {
        return perRequest(server.contextSwitches());
    }

    public double serverUtilisation() {
        return server.coreUtilisation();
    }

    public double loadUtilisation() {
        return load.coreUtilisation();
    }

    /**
     * Empty when the figure measures the server: its core saturated and not shared; otherwise why
     * not (load-bound, neither core saturated, cores shared with other work).
     */
    public String note() {
        String saturation = Saturation.note(serverUtilisation(), loadUtilisation());
        String shared = contention.note();
        return saturation.isEmpty() ? shared : shared.isEmpty() ? saturation : saturation + "; " + shared;
    }

    /** The table's short flag for {@link #note}. */
    String flag() {
        String saturation = Saturation.note(serverUtilisation(), loadUtilisation());
        if (!saturation.isEmpty()) {
            return saturation.startsWith("load") ? "LOAD-BOUND" : "UNSATURATED";
        }
        return contention.note().isEmpty() ? "" : "SHARED-CORES";
    }

    private double perRequest(double total) {
        return load.operations() == 0 ? Double.NaN : total / load.operations();
    }
}
