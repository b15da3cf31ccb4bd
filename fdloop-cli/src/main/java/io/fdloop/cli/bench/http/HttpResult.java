package io.fdloop.cli.bench.http;

import io.fdloop.cli.bench.proc.Contention;
import io.fdloop.cli.bench.proc.ProcessUsage;
import io.fdloop.cli.bench.proc.Saturation;

import java.util.ArrayList;
import java.util.List;

/**
 * What one HTTP engine achieved on one case: wrk's figures, the hot-file probe's in the cold case,
 * and the server process's use of its core while wrk ran.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param engine        the engine's name
 * @param baselines     the engines its ratio rows compare it with
 * @param httpCase      the case
 * @param wrk           what the load wrk measured
 * @param probe         what the hot 4 KiB probe measured (cold case), or null
 * @param server        what the server used while wrk ran
 * @param contention    how much of the two cores went to other work meanwhile
 * @param loadCpuNs     CPU time of the wrk processes of the measured run
 * @param coldFiles     files in the cold corpus (cold case), or 0
 * @param serverCommand the command line the server ran with
 */
public record HttpResult(String engine, List<String> baselines, HttpCase httpCase, WrkResult wrk, WrkResult probe,
                         ProcessUsage server, Contention contention, long loadCpuNs, int coldFiles, List<String> serverCommand) {

    /** Requests the server answered while measured: the load's and the probe's. */
    long requestsServed() {
        return wrk.requests() + (probe == null ? 0 : probe.requests());
    }

    public double serverCpuUsPerRequest() {
        long served = requestsServed();
        return served == 0 ? Double.NaN : server.cpuNs() / 1000.0 / served;
    }

    public double serverUtilisation() {
        return server.coreUtilisation();
    }

    public double loadUtilisation() {
        return server.wallNs() <= 0 ? Double.NaN : (double) loadCpuNs / server.wallNs();
    }

    public long errors() {
        return wrk.socketErrors() + wrk.non2xx() + (probe == null ? 0 : probe.socketErrors() + probe.non2xx());
    }

    /**
     * Empty when the figure measures the server as asked; otherwise why not: errors, a server core
     * far from saturation (the cold case excepted, where the disk is the limit by design).
     */
    public String note() {
        List<String> notes = new ArrayList<>();
        if (errors() > 0) {
            notes.add(String.format("%d errors (socket %d, non-2xx %d)", errors(),
                    wrk.socketErrors() + (probe == null ? 0 : probe.socketErrors()),
                    wrk.non2xx() + (probe == null ? 0 : probe.non2xx())));
        }
        if (!httpCase.cold()) {
            String saturation = Saturation.note(serverUtilisation(), loadUtilisation());
            if (!saturation.isEmpty()) {
                notes.add(saturation);
            }
        }
        if (!contention.note().isEmpty()) {
            notes.add(contention.note());
        }
        return String.join("; ", notes);
    }

    /** The table's short flag for {@link #note}. */
    String flag() {
        String note = note();
        if (note.isEmpty()) {
            return "";
        }
        if (errors() > 0) {
            return "ERRORS";
        }
        return note.startsWith("load") ? "LOAD-BOUND" : note.startsWith("neither") ? "UNSATURATED" : "SHARED-CORES";
    }
}
