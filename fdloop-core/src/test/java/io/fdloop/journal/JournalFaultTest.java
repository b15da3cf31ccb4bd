package io.fdloop.journal;

import io.fdloop.file.FileSettings;
import io.fdloop.EventLoop;
import io.fdloop.file.FileBackend;
import io.fdloop.NativeIOException;
import io.fdloop.TestLoops;
import io.fdloop.internal.linux.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.fdloop.journal.JournalContract.TIMEOUT_S;
import static io.fdloop.journal.JournalContract.record;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * EIO and ENOSPC on the journal's writes and syncs, injected through the syscall seam in front of
 * the real kernel: the affected appends fail, never silently; a failed write leaves the journal
 * going, a failed sync fails it until it is reopened; what completed is always recovered.
 */
class JournalFaultTest {
    @TempDir
    Path dir;

    private EventLoop loop;

    @AfterEach
    void closeLoop() {
        if (loop != null) {
            loop.close();
        }
    }

    private Journal open(FileBackend backend, FaultySyscalls syscalls, Durability durability) throws Exception {
        assumeTrue(backend.isAvailable(), () -> backend + " is unavailable here: " + backend.unavailabilityCause());
        EventLoop.Builder builder = EventLoop.builder().name("journal-faults").daemon(true)
                .with(FileSettings.defaults().withBackend(backend).withForceIoGetevents(true)); // AIO completions then pass through the seam
        loop = TestLoops.withSyscalls(builder, syscalls).start();
        return Journal.builder(loop, dir.resolve("wal")).segmentSize(256 << 10).durability(durability).open();
    }

    /** The outcome of appending {@code count} records at once: positions, or the failures. */
    private record Outcome(List<Long> completed, List<Integer> completedIndexes, List<Throwable> failures) {
    }

    private static Outcome appendAll(Journal journal, int from, int count) throws Exception {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            futures.add(journal.append(record(i)));
        }
        Outcome outcome = new Outcome(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < futures.size(); i++) {
            try {
                outcome.completed.add(futures.get(i).get(TIMEOUT_S, TimeUnit.SECONDS));
                outcome.completedIndexes.add(from + i);
            } catch (ExecutionException e) {
                outcome.failures.add(e.getCause());
            }
        }
        return outcome;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"THREADS, EIO, FDATASYNC", "THREADS, ENOSPC, FDATASYNC", "AIO, EIO, FDATASYNC", "AIO, ENOSPC, FDATASYNC",
            "THREADS, EIO, LINKED_FDATASYNC", "AIO, ENOSPC, LINKED_FDATASYNC"})
    void shouldFailOnlyTheBatchWhoseWriteFailedAndGoOn(FileBackend backend, String errno, Durability durability)
            throws Exception {
        FaultySyscalls syscalls = new FaultySyscalls();
        syscalls.writeErrno = errno.equals("EIO") ? Errno.EIO : Errno.ENOSPC;
        List<Long> completed = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        try (Journal journal = open(backend, syscalls, durability)) {
            Outcome before = appendAll(journal, 0, 50);
            syscalls.writesToFail.set(1);
            Outcome during = appendAll(journal, 50, 100);
            Outcome after = appendAll(journal, 150, 50);
            assertEquals(1, syscalls.injected.get());
            assertEquals(List.of(), before.failures());
            assertEquals(List.of(), after.failures(), "the journal goes on after a failed write");
            assertFalse(during.failures().isEmpty(), "the batch whose write failed failed");
            for (Throwable failure : during.failures()) {
                NativeIOException io = assertInstanceOf(NativeIOException.class, failure);
                assertEquals(errno, io.errorName());
                assertEquals("pwrite", io.call());
            }
            assertTrue(journal.isOpen());
            for (Outcome o : List.of(before, during, after)) {
                completed.addAll(o.completed());
                indexes.addAll(o.completedIndexes());
            }
            JournalContract.assertStrictlyIncreasing(completed);
        }
        try (Journal reopened = Journal.builder(loop, dir.resolve("wal")).segmentSize(256 << 10).open()) {
            List<JournalRecord> recovered = JournalContract.readAll(reopened, 0);
            assertEquals(completed, recovered.stream().map(JournalRecord::position).toList(),
                    "exactly the completed records are recovered (later batches overwrote the failed one)");
            for (int i = 0; i < recovered.size(); i++) {
                assertArrayEquals(record(indexes.get(i)), recovered.get(i).toByteArray());
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"THREADS, EIO, FDATASYNC", "THREADS, ENOSPC, FDATASYNC", "AIO, EIO, FDATASYNC", "AIO, ENOSPC, FDATASYNC",
            "THREADS, ENOSPC, LINKED_FDATASYNC", "AIO, EIO, LINKED_FDATASYNC"})
    void shouldFailTheJournalWhenASyncFails(FileBackend backend, String errno, Durability durability) throws Exception {
        FaultySyscalls syscalls = new FaultySyscalls();
        syscalls.syncErrno = errno.equals("EIO") ? Errno.EIO : Errno.ENOSPC;
        List<Long> completed = new ArrayList<>();
        try (Journal journal = open(backend, syscalls, durability)) {
            Outcome before = appendAll(journal, 0, 50);
            assertEquals(List.of(), before.failures());
            completed.addAll(before.completed());
            syscalls.syncsToFail.set(1);
            Outcome during = appendAll(journal, 50, 100);
            completed.addAll(during.completed());
            assertFalse(during.failures().isEmpty(), "injected " + syscalls.injected.get() + ", left " + syscalls.syncsToFail.get());
            JournalFailedException failed = assertInstanceOf(JournalFailedException.class, during.failures().getFirst());
            NativeIOException cause = assertInstanceOf(NativeIOException.class, failed.getCause());
            assertEquals(errno, cause.errorName());
            assertEquals("fdatasync", cause.call());
            assertTrue(failed.getMessage().contains("reopen"), failed.getMessage());
            for (Throwable failure : during.failures()) {
                assertInstanceOf(JournalFailedException.class, failure);
            }
            assertFalse(journal.isOpen());
            Outcome after = appendAll(journal, 150, 10);
            assertEquals(List.of(), after.completed(), "every later append fails until the journal is reopened");
            after.failures().forEach(f -> assertInstanceOf(JournalFailedException.class, f));
        }
        try (Journal reopened = Journal.builder(loop, dir.resolve("wal")).segmentSize(256 << 10).open()) {
            List<Long> recovered = JournalContract.readAll(reopened, 0).stream().map(JournalRecord::position).toList();
            assertTrue(recovered.containsAll(completed), "every completed append is recovered");
            long next = reopened.append(record(999)).get(TIMEOUT_S, TimeUnit.SECONDS);
            assertTrue(next > completed.getLast(), "a reopened journal takes appends again");
        }
    }

    @Test
    void shouldFailTheJournalWhenAnODsyncWriteFails() throws Exception {
        FaultySyscalls syscalls = new FaultySyscalls();
        try (Journal journal = open(FileBackend.THREADS, syscalls, Durability.DSYNC)) {
            assertEquals(List.of(), appendAll(journal, 0, 20).failures());
            syscalls.writesToFail.set(1);
            Outcome during = appendAll(journal, 20, 50);
            JournalFailedException failed = assertInstanceOf(JournalFailedException.class, during.failures().getFirst());
            assertEquals("EIO", ((NativeIOException) failed.getCause()).errorName());
            assertFalse(journal.isOpen());
            assertEquals(0, syscalls.syncsToFail.get());
        }
    }
}
