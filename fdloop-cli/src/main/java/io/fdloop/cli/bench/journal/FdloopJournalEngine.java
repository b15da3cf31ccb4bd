package io.fdloop.cli.bench.journal;

import io.fdloop.file.FileSettings;
import io.fdloop.EventLoop;
import io.fdloop.file.FileBackend;
import io.fdloop.journal.Durability;
import io.fdloop.journal.Journal;
import io.fdloop.journal.JournalStats;

import java.util.Locale;

/**
 * fdloop's journal in one durability mode, on its own loop. Producers call
 * {@code append(record).join()}; the controlling thread releases everything durable every 100 ms,
 * so segments are recycled as a broker's would be once consumers caught up. Four segments (256 MiB,
 * as much as the {@code filechannel} peer pre-zeroes) are preallocated when the journal opens.
 */
final class FdloopJournalEngine implements JournalEngine {
    private final Durability durability;
    private final FileBackend backend; // null: the loop's default (auto, or -Dfdloop.backend)

    FdloopJournalEngine(Durability durability, FileBackend backend) {
        this.durability = durability;
        this.backend = backend;
    }

    @Override
    public String name() {
        return "fdloop-journal-" + durability.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String durability() {
        return switch (durability) {
            case FDATASYNC -> "O_DIRECT write + fdatasync per batch";
            case LINKED_FDATASYNC -> "O_DIRECT write linked to fdatasync, one request per batch";
            case DSYNC -> "O_DIRECT|O_DSYNC write per batch";
            case NONE -> "O_DIRECT write completed (no flush)";
        };
    }

    @Override
    public String unavailableBecause() {
        return backend == null || backend.isAvailable() ? null : backend + " is unavailable: " + backend.unavailabilityCause();
    }

    @Override
    public Session open(JournalJob job) throws Exception {
        EventLoop.Builder builder = EventLoop.builder().name("bench-journal").daemon(true);
        EventLoop loop = (backend == null ? builder : builder.with(FileSettings.defaults().withBackend(backend))).start();
        Journal journal;
        try {
            journal = Journal.builder(loop, job.directory()).durability(durability).preallocate(4)
                    .queueCapacity(Math.max(1024, Integer.highestOneBit(job.producers() * 2 - 1) * 2)).open();
        } catch (Exception e) {
            loop.close();
            throw e;
        }
        return new Session() {
            @Override
            public void appendAndWait(byte[] record) {
                journal.append(record).join();
            }

            @Override
            public long syncs() {
                return journal.stats().syncs();
            }

            @Override
            public void maintain() {
                journal.release(journal.durablePosition());
            }

            @Override
            public String notes() {
                JournalStats s = journal.stats();
                return String.format(Locale.ROOT, "%s backend, %.1f records/batch (largest %d), %d segment rolls, %d waits for a segment",
                        journal.backend(), s.recordsPerBatch(), s.largestBatch(), s.segmentsRolled(), s.segmentWaits());
            }

            @Override
            public void close() {
                journal.close();
                loop.close();
            }
        };
    }
}
