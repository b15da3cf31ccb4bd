package io.fdloop.cli.bench.http;

import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP engine against one of its baselines on the same case, measured in the same run. Above
 * 1 means more of it.
 *
 * <p><b>Immutable; thread-safe.</b>
 */
public record HttpRatio(HttpResult engine, HttpResult baseline) {

    /** A ratio for every result and each of its baselines that ran the same case. */
    public static List<HttpRatio> of(List<HttpResult> results) {
        List<HttpRatio> ratios = new ArrayList<>();
        for (HttpResult r : results) {
            for (String name : r.baselines()) {
                for (HttpResult b : results) {
                    if (b.engine().equals(name) && b.httpCase() == r.httpCase()) {
                        ratios.add(new HttpRatio(r, b));
                    }
                }
            }
        }
        return ratios;
    }

    public String name() {
        return engine.engine() + "/" + baseline.engine();
    }

    public double requestsPerSecond() {
        return engine.wrk().requestsPerSecond() / baseline.wrk().requestsPerSecond();
    }

    public double megabytesPerSecond() {
        return engine.wrk().megabytesPerSecond() / baseline.wrk().megabytesPerSecond();
    }

    public double p50() {
        return engine.wrk().p50Us() / baseline.wrk().p50Us();
    }

    public double p99() {
        return engine.wrk().p99Us() / baseline.wrk().p99Us();
    }

    public double probeP99() {
        return engine.probe() == null || baseline.probe() == null ? Double.NaN
                : engine.probe().p99Us() / baseline.probe().p99Us();
    }

    public double cpuPerRequest() {
        return engine.serverCpuUsPerRequest() / baseline.serverCpuUsPerRequest();
    }

    /** Whether both figures measure their servers (no errors, cores saturated). */
    public boolean trustworthy() {
        return engine.note().isEmpty() && baseline.note().isEmpty();
    }
}
