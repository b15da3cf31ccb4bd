package io.fdloop.cli.bench;

import java.util.Locale;

/**
 * What a job does, in fio's words ({@code rw=}).
 *
 * <p><b>Immutable; thread-safe.</b>
 */
public enum Rw {
    READ, WRITE, RANDREAD, RANDWRITE,
    /** Random reads and writes, half each. */
    RANDRW;

    /** fio's name for it. */
    public String fioName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean random() {
        return this == RANDREAD || this == RANDWRITE || this == RANDRW;
    }

    /** Whether some requests are writes. */
    public boolean writes() {
        return this == WRITE || this == RANDWRITE || this == RANDRW;
    }

    /** Whether some requests are reads. */
    public boolean reads() {
        return this == READ || this == RANDREAD || this == RANDRW;
    }

    /** {@code read}, {@code randread}, ... as fio spells them. */
    public static Rw parse(String text) {
        for (Rw rw : values()) {
            if (rw.fioName().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return rw;
            }
        }
        throw new IllegalArgumentException("rw is read, write, randread, randwrite or randrw, was " + text);
    }

    @Override
    public String toString() {
        return fioName();
    }
}
