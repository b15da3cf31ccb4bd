package io.fdloop.cli.bench.journal;

import java.nio.file.Path;

/**
 * One cell of the journal benchmark: how many producers append records of which size, for how long.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param directory  where the engine keeps its files (a fresh directory per run)
 * @param producers  threads appending, each waiting for its append to be durable before the next
 * @param recordSize payload bytes per record
 * @param warmupNs   unmeasured time first
 * @param runtimeNs  measured time
 */
public record JournalJob(Path directory, int producers, int recordSize, long warmupNs, long runtimeNs) {
    public JournalJob {
        if (producers < 1 || producers > 4096) {
            throw new IllegalArgumentException("--producers must be 1 to 4096, was " + producers);
        }
        if (recordSize < 1 || recordSize > 1 << 20) {
            throw new IllegalArgumentException("--record must be 1 byte to 1 MiB, was " + recordSize);
        }
    }
}
