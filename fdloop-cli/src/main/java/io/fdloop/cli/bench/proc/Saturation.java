package io.fdloop.cli.bench.proc;

import java.util.Locale;

/**
 * Whether a figure measures the server: only when the server's core was nearly saturated. When
 * it was not, the load generator's core was the limit (flagged "load-bound"), or neither was
 * (the figure then measures latency, not capacity).
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class Saturation {
    /** A server core busier than this counts as saturated. */
    public static final double SERVER_SATURATED = 0.85;
    /** A load core busier than this counts as the limit. */
    public static final double LOAD_SATURATED = 0.90;

    private Saturation() {
    }

    /** An empty note when the server's core was saturated; otherwise what the figure measures instead. */
    public static String note(double serverUtilisation, double loadUtilisation) {
        if (Double.isNaN(serverUtilisation) || serverUtilisation >= SERVER_SATURATED) {
            return "";
        }
        if (loadUtilisation >= LOAD_SATURATED) {
            return "load-bound: server core " + percent(serverUtilisation) + " busy, load core " + percent(loadUtilisation);
        }
        return "neither core saturated (server " + percent(serverUtilisation) + ", load " + percent(loadUtilisation) + ")";
    }

    public static String percent(double utilisation) {
        return Double.isNaN(utilisation) ? "-" : String.format(Locale.ROOT, "%.0f%%", utilisation * 100);
    }
}
