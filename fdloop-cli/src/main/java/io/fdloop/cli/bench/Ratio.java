package io.fdloop.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * fdloop against fio on the same job: fdloop-aio against fio-libaio, fdloop-uring against
 * fio-uring. Above 1 means fdloop has more of it (good for IOPS, bad for the rest).
 *
 * <p><b>Immutable; thread-safe.</b>
 */
public record Ratio(Result fdloop, Result fio) {
    private static final double NEGLIGIBLE = 0.001;
    private static final Map<String, String> PEERS = Map.of("fdloop-aio", "fio-libaio", "fdloop-uring", "fio-uring");

    /** Every pair in {@code results} with the same queue depth. */
    public static List<Ratio> of(List<Result> results) {
        List<Ratio> ratios = new ArrayList<>();
        for (Result fdloop : results) {
            String peer = PEERS.get(fdloop.engine());
            for (Result fio : results) {
                if (fio.engine().equals(peer) && fio.job().queueDepth() == fdloop.job().queueDepth()) {
                    ratios.add(new Ratio(fdloop, fio));
                }
            }
        }
        return ratios;
    }

    /** The ratio for {@code fdloop}'s peer, or null. */
    public static Ratio find(List<Ratio> ratios, Result fdloop) {
        for (Ratio ratio : ratios) {
            if (ratio.fdloop == fdloop) {
                return ratio;
            }
        }
        return null;
    }

    public String name() {
        return fdloop.engine() + "/" + fio.engine();
    }

    public double iops() {
        return fdloop.iops() / fio.iops();
    }

    public double p50() {
        return fdloop.latency().p50Us() / fio.latency().p50Us();
    }

    public double p99() {
        return fdloop.latency().p99Us() / fio.latency().p99Us();
    }

    public double p999() {
        return fdloop.latency().p999Us() / fio.latency().p999Us();
    }

    public double max() {
        return fdloop.latency().maxUs() / fio.latency().maxUs();
    }

    public double cpuPerOperation() {
        return fdloop.cpuUsPerOperation() / fio.cpuUsPerOperation();
    }

    /** NaN when both switch less than once per thousand requests: a ratio of noise. */
    public double contextSwitchesPerOperation() {
        double ours = fdloop.contextSwitchesPerOperation(), theirs = fio.contextSwitchesPerOperation();
        return ours < NEGLIGIBLE && theirs < NEGLIGIBLE ? Double.NaN : ours / theirs;
    }
}
