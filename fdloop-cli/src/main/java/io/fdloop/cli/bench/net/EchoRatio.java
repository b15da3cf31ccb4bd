package io.fdloop.cli.bench.net;

import java.util.ArrayList;
import java.util.List;

/**
 * One echo engine against its baseline, measured in the same run. Above 1 means more of it.
 *
 * <p><b>Immutable; thread-safe.</b>
 */
public record EchoRatio(EchoResult engine, EchoResult baseline) {
    private static final double NEGLIGIBLE = 0.001;

    /** A ratio for every result whose baseline ran too. */
    public static List<EchoRatio> of(List<EchoResult> results) {
        List<EchoRatio> ratios = new ArrayList<>();
        for (EchoResult r : results) {
            for (EchoResult b : results) {
                if (b.engine().equals(r.baseline())) {
                    ratios.add(new EchoRatio(r, b));
                }
            }
        }
        return ratios;
    }

    public String name() {
        return engine.engine() + "/" + baseline.engine();
    }

    public double requestsPerSecond() {
        return engine.requestsPerSecond() / baseline.requestsPerSecond();
    }

    public double p50() {
        return (double) engine.load().p50Ns() / baseline.load().p50Ns();
    }

    public double p99() {
        return (double) engine.load().p99Ns() / baseline.load().p99Ns();
    }

    public double p999() {
        return (double) engine.load().p999Ns() / baseline.load().p999Ns();
    }

    public double cpuPerRequest() {
        return engine.serverCpuUsPerRequest() / baseline.serverCpuUsPerRequest();
    }

    /** NaN when both switch less than once per thousand requests: a ratio of noise. */
    public double contextSwitchesPerRequest() {
        double ours = engine.serverContextSwitchesPerRequest(), theirs = baseline.serverContextSwitchesPerRequest();
        return ours < NEGLIGIBLE && theirs < NEGLIGIBLE ? Double.NaN : ours / theirs;
    }

    public double idleMemory() {
        return engine.idleBytesPerConnection() / baseline.idleBytesPerConnection();
    }

    /** Whether both figures measure their servers (cores saturated, not shared), so the ratio compares servers. */
    public boolean trustworthy() {
        return engine.note().isEmpty() && baseline.note().isEmpty();
    }
}
