package io.fdloop.cli.bench.proc;

import java.io.IOException;

/**
 * How much of the server's and the load's cores went to other work during a window: a figure
 * measured while others used those cores says as much about them as about the server.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param serverCoreOthers share of the server's core spent on other work
 * @param loadCoreOthers   share of the load's core spent on other work
 */
public record Contention(double serverCoreOthers, double loadCoreOthers) {
    /** Above this share of either core going elsewhere, a figure is flagged. */
    public static final double NOTICEABLE = 0.10;

    /** Readings of both cores at one end of a window. */
    public record Readings(CoreTimes server, CoreTimes load) {
        public static Readings read(Pinning pinning) throws IOException {
            return new Readings(CoreTimes.read(pinning.server()), CoreTimes.read(pinning.client()));
        }
    }

    /** The contention from {@code from} to {@code until}, given the CPU time the server and the load spent in it. */
    public static Contention between(Readings from, Readings until, long serverCpuNs, long loadCpuNs, long wallNs) {
        return new Contention(until.server.othersShareSince(from.server, serverCpuNs, wallNs),
                until.load.othersShareSince(from.load, loadCpuNs, wallNs));
    }

    /** Empty when neither core was noticeably shared; otherwise how much went elsewhere. */
    public String note() {
        if (!(serverCoreOthers > NOTICEABLE) && !(loadCoreOthers > NOTICEABLE)) {
            return "";
        }
        return "cores shared with other work: " + Saturation.percent(serverCoreOthers) + " of the server's, "
                + Saturation.percent(loadCoreOthers) + " of the load's";
    }
}
