package io.fdloop.cli.bench;

import java.util.Locale;

/**
 * How bench's tables write numbers: fixed decimals with thousands separators, latencies to the
 * precision that matters, ratios as {@code 1.23x}, and {@code -} for what is not known.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class Cells {
    private Cells() {
    }

    public static String fixed(double value, int decimals) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "-"
                : String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    /** Two decimals under 10, one under 1000, none above. */
    public static String latency(double us) {
        return fixed(us, us < 10 ? 2 : us < 1000 ? 1 : 0);
    }

    public static String times(double ratio) {
        return Double.isNaN(ratio) || Double.isInfinite(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio);
    }
}
