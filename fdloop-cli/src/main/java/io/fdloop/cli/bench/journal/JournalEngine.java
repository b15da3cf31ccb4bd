package io.fdloop.cli.bench.journal;

/**
 * A journal the benchmark appends to: fdloop's in one of its durability modes, or a peer.
 *
 * <p><b>Not thread-safe</b>: one run at a time; the {@link Session} it opens is appended to by
 * many producer threads at once.
 */
public interface JournalEngine {

    String name();

    /** What "durable" means for this engine, in a few words, for the table's notes. */
    String durability();

    /** Why it cannot run here (with how to fix it), or null when it can. */
    default String unavailableBecause() {
        return null;
    }

    Session open(JournalJob job) throws Exception;

    /** One open journal. */
    interface Session extends AutoCloseable {

        /** Appends {@code record} and returns once it is durable. Any thread. */
        void appendAndWait(byte[] record) throws Exception;

        /** fdatasync/fsync calls issued so far, or -1 when the engine does not count them. */
        long syncs();

        /** Called by the controlling thread every 100 ms: release what is no longer needed. */
        default void maintain() {
        }

        /** A line on how the engine behaved (batches, backend), or null. */
        default String notes() {
            return null;
        }

        @Override
        void close() throws Exception;
    }
}
