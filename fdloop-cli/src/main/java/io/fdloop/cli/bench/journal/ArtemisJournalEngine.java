package io.fdloop.cli.bench.journal;

import io.fdloop.cli.bench.ArtemisNative;
import org.apache.activemq.artemis.ArtemisConstants;
import org.apache.activemq.artemis.core.io.aio.AIOSequentialFileFactory;
import org.apache.activemq.artemis.core.journal.impl.JournalImpl;

import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Apache ActiveMQ Artemis's own journal ({@code artemis-journal} 2.40.0) on its AIO file factory,
 * set up as a broker's {@code broker.xml} defaults set it: {@code journal-type ASYNCIO},
 * {@code journal-file-size} 10 MiB, {@code journal-min-files} 2, {@code journal-pool-files} 10,
 * {@code journal-max-io} 4096, {@code journal-buffer-size} 490 KiB and
 * {@code journal-buffer-timeout} 500 µs (its TimedBuffer: records gather for up to that long
 * before one write), {@code journal-datasync} true. Producers call
 * {@code appendAddRecord(id, type, bytes, sync = true)}, which returns once the record is durable:
 * Artemis opens its files {@code O_RDWR|O_CREAT|O_DIRECT}, writes each timed-buffer flush with
 * {@code io_submit} and issues {@code fdatasync} for the syncs it gathered (strace counts them, see
 * BENCHMARKS.md): the same durability as {@code fdloop-journal-fdatasync}. It counts no syncs
 * itself, so the table shows "-". Files are not reclaimed (nothing is deleted): Artemis creates and
 * zero-fills new ones ahead of need, in the background, as a broker does until consumers catch up.
 */
final class ArtemisJournalEngine implements JournalEngine {
    static {
        // Artemis zero-fills its buffers through Netty's Unsafe path; Netty 4.2 (which the network peers
        // bring) turns that path off by default on JDK 24+, and Artemis's fallback overruns a buffer.
        // Before any Netty class loads: as Artemis runs in production on these JDKs.
        if (System.getProperty("io.netty.noUnsafe") == null) {
            System.setProperty("io.netty.noUnsafe", "false");
        }
    }

    private static final int FILE_SIZE = 10 << 20;
    private static final int MIN_FILES = 2;
    private static final int POOL_FILES = 10;
    private static final int MAX_IO = 4096;

    @Override
    public String name() {
        return "artemis";
    }

    @Override
    public String durability() {
        return "O_DIRECT AIO writes + fdatasync per timed-buffer flush";
    }

    @Override
    public String unavailableBecause() {
        return ArtemisNative.unavailableBecause();
    }

    @Override
    public Session open(JournalJob job) throws Exception {
        String problem = unavailableBecause();
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        Files.createDirectories(job.directory());
        AIOSequentialFileFactory factory = new AIOSequentialFileFactory(job.directory().toFile(),
                ArtemisConstants.DEFAULT_JOURNAL_BUFFER_SIZE_AIO, ArtemisConstants.DEFAULT_JOURNAL_BUFFER_TIMEOUT_AIO,
                MAX_IO, false);
        JournalImpl journal = new JournalImpl(FILE_SIZE, MIN_FILES, POOL_FILES, 0, 0, factory, "activemq-data", "amq",
                MAX_IO);
        journal.start();
        journal.loadInternalOnly();
        AtomicLong ids = new AtomicLong();
        return new Session() {
            @Override
            public void appendAndWait(byte[] record) throws Exception {
                journal.appendAddRecord(ids.incrementAndGet(), (byte) 1, record, true);
            }

            @Override
            public long syncs() {
                return -1; // counted with strace in a separate run: see BENCHMARKS.md
            }

            @Override
            public void close() throws Exception {
                journal.stop();
                factory.stop();
            }
        };
    }
}
