package io.fdloop.cli.bench;

import java.io.IOException;

/** A block read back does not hold the pattern written to it (see {@link Pattern}). */
public final class VerifyException extends IOException {
    private static final long serialVersionUID = 1L;

    public VerifyException(String message) {
        super("verify failed: " + message);
    }
}
