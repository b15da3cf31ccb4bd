package io.fdloop.journal;


import java.io.IOException;

/**
 * The journal can take no more appends until it is reopened: a sync failed (Linux may have dropped
 * the dirty data it could not write, so retrying the sync could report success for data that is
 * gone), or, with {@link Durability#DSYNC}, a write failed. The cause is the original failure.
 *
 * <p><b>Immutable; thread-safe.</b>
 */
public final class JournalFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * The journal failed.
     *
     * @param message what failed, and that the journal must be reopened
     * @param cause   the original failure
     */
    public JournalFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
