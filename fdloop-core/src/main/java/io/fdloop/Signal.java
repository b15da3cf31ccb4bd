package io.fdloop;

/**
 * The signals a loop can handle: the ones a service is asked to stop or reload with. The JVM
 * itself uses the rest (SEGV, BUS, FPE, PIPE, ILL, QUIT, USR2).
 *
 * <p><b>Immutable; thread-safe.</b>
 */
public enum Signal {
    /** SIGHUP (1): conventionally, reload. */
    HUP(1),
    /** SIGINT (2): Ctrl-C. */
    INT(2),
    /** SIGTERM (15): please stop. */
    TERM(15);

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    /**
     * The signal number on Linux.
     *
     * @return such as 15 for TERM
     */
    public int number() {
        return number;
    }
}
