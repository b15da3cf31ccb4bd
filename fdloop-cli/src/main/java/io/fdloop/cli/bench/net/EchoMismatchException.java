package io.fdloop.cli.bench.net;

import java.io.IOException;
import java.util.Locale;

/**
 * An echoed byte that is not the byte sent: the run fails with where and what.
 *
 * <p><b>Immutable; thread-safe.</b>
 */
final class EchoMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    EchoMismatchException(int connection, long offset, byte expected, byte actual, int size) {
        super(String.format(Locale.ROOT, "echo mismatch on connection %d at byte %d (message %d, byte %d of %d): "
                        + "expected 0x%02x, got 0x%02x", connection, offset, offset / size, offset % size, size,
                expected & 0xff, actual & 0xff));
    }
}
