package io.fdloop.journal;

import io.fdloop.internal.journal.RecordFormat;
import io.fdloop.file.FileSettings;
import io.fdloop.EventLoop;
import io.fdloop.file.FileBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the journal must do on every file backend, run once per backend by its subclass; a
 * backend the kernel refuses here is skipped with the kernel's reason.
 */
abstract class JournalContract {
    static final long TIMEOUT_S = 30;

    @TempDir
    Path dir;

    EventLoop loop;

    abstract FileBackend backend();

    @BeforeEach
    void startLoop() throws IOException {
        assumeTrue(backend().isAvailable(), () -> backend() + " is unavailable here: " + backend().unavailabilityCause());
        loop = EventLoop.builder().name("journal-" + backend().name().toLowerCase(Locale.ROOT)).daemon(true)
                .with(FileSettings.defaults().withBackend(backend())).start();
    }

    @AfterEach
    void closeLoop() {
        if (loop != null) {
            loop.close();
        }
    }

    Journal.Builder journal() {
        return Journal.builder(loop, dir.resolve("wal")).segmentSize(256 << 10);
    }

    static byte[] record(int i) {
        byte[] bytes = new byte[1 + (i * 37) % 3000];
        for (int j = 0; j < bytes.length; j++) {
            bytes[j] = (byte) (i * 31 + j);
        }
        return bytes;
    }

    static long await(CompletableFuture<Long> future) throws Exception {
        return future.get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    static List<JournalRecord> readAll(Journal journal, long from) throws IOException {
        List<JournalRecord> records = new ArrayList<>();
        try (JournalReader reader = journal.reader(from)) {
            for (JournalRecord r; (r = reader.next()) != null; ) {
                records.add(r);
            }
        }
        return records;
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void shouldAppendRecoverAndReplayEveryRecordInOrder(Durability durability) throws Exception {
        int count = 600;
        List<Long> positions = new ArrayList<>();
        try (Journal journal = journal().durability(durability).open()) {
            assertEquals(backend(), journal.backend());
            assertEquals(RecoveryStop.Reason.EMPTY, journal.recovery().stop().reason());
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(journal.append(record(i)));
            }
            for (CompletableFuture<Long> f : futures) {
                positions.add(await(f));
            }
            assertStrictlyIncreasing(positions);
            assertEquals(count, journal.stats().records());
            assertTrue(journal.stats().segmentsRolled() > 0, "600 records of up to 3000 bytes fill several 256 KiB segments");
            assertRecords(readAll(journal, 0), positions, 0);
        }
        try (Journal reopened = journal().durability(durability).open()) {
            RecoveryReport report = reopened.recovery();
            assertEquals(count, report.records(), report.toString());
            assertEquals(positions.getFirst(), report.firstPosition());
            assertTrue(report.stop().isCleanEnd(), report.toString());
            assertTrue(report.discarded().isEmpty());
            assertRecords(readAll(reopened, 0), positions, 0);
            assertRecords(readAll(reopened, positions.get(400)), positions, 400);
            long next = await(reopened.append(record(count)));
            assertTrue(next > positions.getLast(), "positions go on increasing after a reopen");
        }
    }

    @Test
    void shouldTakeByteBuffersAndSegmentsAsWellAsArrays() throws Exception {
        try (Journal journal = journal().open(); Arena arena = Arena.ofShared()) {
            ByteBuffer heap = ByteBuffer.wrap(record(100), 5, 100);
            ByteBuffer direct = ByteBuffer.allocateDirect(300).put(record(200), 0, 300).flip();
            MemorySegment segment = arena.allocate(77);
            segment.copyFrom(MemorySegment.ofArray(record(3)).asSlice(0, 77));
            long a = await(journal.append(heap));
            long b = await(journal.append(direct));
            long c = await(journal.append(segment));
            assertEquals(5, heap.position(), "the buffer's position does not move");
            List<JournalRecord> records = readAll(journal, 0);
            assertEquals(List.of(a, b, c), records.stream().map(JournalRecord::position).toList());
            assertArrayEquals(java.util.Arrays.copyOfRange(record(100), 5, 105), records.get(0).toByteArray());
            assertArrayEquals(java.util.Arrays.copyOf(record(200), 300), records.get(1).toByteArray());
            assertArrayEquals(java.util.Arrays.copyOf(record(3), 77), records.get(2).toByteArray());
        }
    }

    @Test
    void shouldCompleteConcurrentAppendsInPositionOrderAcrossProducers() throws Exception {
        int producers = 8;
        int perProducer = 300;
        List<Long> completionOrder = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(producers * perProducer / 2); // the odd appends use the handler
        AppendHandler<long[]> handler = new AppendHandler<>() {
            @Override
            public void completed(long position, long[] mine) {
                completionOrder.add(position);
                done.countDown();
            }

            @Override
            public void failed(Throwable error, long[] mine) {
                failures.incrementAndGet();
                done.countDown();
            }
        };
        try (Journal journal = journal().queueCapacity(64).open()) {
            List<Thread> threads = new ArrayList<>();
            List<List<CompletableFuture<Long>>> byThread = new ArrayList<>();
            for (int t = 0; t < producers; t++) {
                int id = t;
                List<CompletableFuture<Long>> mine = new ArrayList<>();
                byThread.add(mine);
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        if (i % 2 == 0) {
                            mine.add(journal.append(record(id * 10_000 + i)));
                        } else {
                            journal.append(record(id * 10_000 + i), null, handler);
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
            }
            List<Long> all = new ArrayList<>();
            for (List<CompletableFuture<Long>> mine : byThread) {
                List<Long> positions = new ArrayList<>();
                for (CompletableFuture<Long> f : mine) {
                    positions.add(await(f));
                }
                assertStrictlyIncreasing(positions); // one producer's appends keep their order
                all.addAll(positions);
            }
            assertTrue(done.await(TIMEOUT_S, TimeUnit.SECONDS));
            assertEquals(0, failures.get());
            assertStrictlyIncreasing(completionOrder);
            all.addAll(completionOrder);
            assertEquals(producers * perProducer, all.stream().distinct().count());
            assertEquals(producers * perProducer, readAll(journal, 0).size());
        }
    }

    @Test
    void shouldRecycleReleasedSegmentsWithoutStaleRecordsEverReadingAsValid() throws Exception {
        List<Long> positions = new ArrayList<>();
        try (Journal journal = journal().spareSegments(2).open()) {
            for (int round = 0; round < 4; round++) {
                List<CompletableFuture<Long>> futures = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    futures.add(journal.append(record(positions.size() + i)));
                }
                for (CompletableFuture<Long> f : futures) {
                    positions.add(await(f));
                }
                // Keep only this round's records: the older segments become spares and are reused.
                journal.release(positions.get(positions.size() - 300));
            }
            long firstKept = positions.get(positions.size() - 300);
            List<JournalRecord> kept = readAll(journal, firstKept);
            assertRecords(kept, positions, positions.size() - 300);
            assertTrue(journal.stats().segmentsRolled() >= 4);
        }
        long keptSegment = positions.get(positions.size() - 300) >>> 32;
        try (Stream<Path> files = Files.list(dir.resolve("wal"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            List<String> released = names.stream().filter(n -> n.startsWith("segment-"))
                    .filter(n -> Long.parseLong(n.substring(8, 28)) < keptSegment).toList();
            assertEquals(List.of(), released, "released segments are recycled: " + names);
            assertTrue(names.stream().filter(n -> n.startsWith("spare-")).count() <= 2, "at most spareSegments spares: " + names);
        }
        try (Journal reopened = journal().open()) {
            RecoveryReport report = reopened.recovery();
            assertTrue(report.stop().isCleanEnd(), report.toString());
            List<JournalRecord> recovered = readAll(reopened, 0);
            long firstKept = positions.get(positions.size() - 300);
            assertTrue(recovered.getFirst().position() <= firstKept);
            int from = positions.indexOf(recovered.getFirst().position());
            assertTrue(from >= 0, "the first recovered record is one that was appended");
            assertRecords(recovered, positions, from);
        }
    }

    @Test
    void shouldPreallocateSparesWhenAskedAndUseThemForTheFirstRolls() throws Exception {
        try (Journal journal = journal().preallocate(3).open()) {
            try (Stream<Path> files = Files.list(dir.resolve("wal"))) {
                // spares, and the segments prepared from them ahead of the first append
                assertEquals(3, files.map(p -> p.getFileName().toString())
                        .filter(n -> n.startsWith("spare-") || n.startsWith("segment-")).count());
            }
            List<Long> positions = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                positions.add(await(journal.append(record(i))));
            }
            assertTrue(journal.stats().segmentsRolled() >= 2);
            assertEquals(0, journal.stats().segmentWaits(), "the prepared spares were there when the rolls came");
            assertRecords(readAll(journal, 0), positions, 0);
        }
    }

    @Test
    void shouldStopRecoveryAtATornRecordAndOverwriteIt() throws Exception {
        List<Long> positions = new ArrayList<>();
        try (Journal journal = journal().segmentSize(1 << 20).open()) {
            for (int i = 0; i < 50; i++) {
                positions.add(await(journal.append(record(i))));
            }
        }
        long last = positions.getLast();
        Path segment = dir.resolve("wal").resolve(String.format("segment-%020d.log", last >>> 32));
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            long at = (int) last + RecordFormat.RECORD_HEADER + 3;
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 0x40);
        }
        try (Journal reopened = journal().segmentSize(1 << 20).open()) {
            RecoveryReport report = reopened.recovery();
            assertEquals(49, report.records(), report.toString());
            assertEquals(RecoveryStop.Reason.TORN_RECORD, report.stop().reason());
            assertEquals((int) last, report.stop().offset());
            assertEquals(segment, report.stop().segment());
            assertTrue(report.stop().detail().contains("checksum"), report.stop().detail());
            assertEquals(last, report.endPosition());
            assertEquals(last, await(reopened.append(record(1000))), "the torn record's place is reused");
            positions.set(49, last);
        }
        try (Journal again = journal().segmentSize(1 << 20).open()) {
            assertEquals(50, again.recovery().records());
            List<JournalRecord> records = readAll(again, 0);
            assertArrayEquals(record(1000), records.getLast().toByteArray());
        }
    }

    @Test
    void shouldRefuseRecordsLargerThanASegmentOrTheLimit() throws Exception {
        try (Journal journal = journal().open()) {
            IllegalArgumentException segment = assertThrows(IllegalArgumentException.class,
                    () -> journal.append(new byte[256 << 10]));
            assertTrue(segment.getMessage().contains("larger than a segment can hold"), segment.getMessage());
            assertTrue(segment.getMessage().contains("segmentSize"), segment.getMessage());
        }
        try (Journal journal = Journal.builder(loop, dir.resolve("small")).segmentSize(256 << 10).maxRecordSize(1000).open()) {
            IllegalArgumentException limit = assertThrows(IllegalArgumentException.class,
                    () -> journal.tryAppend(new byte[1001]));
            assertTrue(limit.getMessage().contains("maxRecordSize"), limit.getMessage());
            assertEquals(1000, readAllAfterAppend(journal, new byte[1000]));
        }
        assertThrows(IllegalArgumentException.class, () -> Journal.builder(loop, dir).segmentSize(1000));
        assertThrows(IllegalArgumentException.class, () -> Journal.builder(loop, dir).queueCapacity(1000));
    }

    private static int readAllAfterAppend(Journal journal, byte[] record) throws Exception {
        await(journal.append(record));
        return readAll(journal, 0).getFirst().length();
    }

    @Test
    void shouldFailAppendsAfterClose() throws Exception {
        Journal journal = journal().open();
        await(journal.append(record(1)));
        journal.close();
        assertFalse(journal.isOpen());
        ExecutionException closed = assertThrows(ExecutionException.class,
                () -> journal.append(record(2)).get(TIMEOUT_S, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, closed.getCause());
        assertTrue(closed.getCause().getMessage().contains("closed"), closed.getCause().getMessage());
        journal.close(); // idempotent
    }

    @Test
    void shouldRefuseASecondJournalOnTheSameDirectory() throws Exception {
        try (Journal journal = journal().open()) {
            IOException twice = assertThrows(IOException.class, () -> journal().open());
            assertTrue(twice.getMessage().contains("already open"), twice.getMessage());
            await(journal.append(record(1)));
        }
        try (Journal reopened = journal().open()) {
            assertEquals(1, reopened.recovery().records(), "the lock is released on close");
        }
    }

    @Test
    void shouldRefuseADirectoryItCannotWrite() throws Exception {
        Path target;
        if ("root".equals(System.getProperty("user.name"))) {
            target = Path.of("/sys/fdloop-journal-test"); // even root cannot create files in sysfs
        } else {
            target = dir.resolve("read-only");
            Files.createDirectories(target);
            target.toFile().setWritable(false, false);
        }
        IOException refused = assertThrows(IOException.class, () -> Journal.builder(loop, target).open());
        assertTrue(refused.getMessage().contains("journal directory"), refused.getMessage());
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        IOException notDirectory = assertThrows(IOException.class, () -> Journal.builder(loop, file).open());
        assertTrue(notDirectory.getMessage().contains("not a directory"), notDirectory.getMessage());
    }

    @Test
    void shouldCompleteEveryAppendWhenTheJournalCloses() throws Exception {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        Journal journal = journal().open();
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 2000; i++) {
                futures.add(journal.append(record(i)));
            }
        });
        Thread.sleep(5); // not a timing assertion: only lets the close land among the appends
        journal.closeAsync();
        producer.join();
        journal.closeAsync().get(TIMEOUT_S, TimeUnit.SECONDS);
        List<Long> completed = new ArrayList<>();
        for (CompletableFuture<Long> f : futures) {
            try {
                completed.add(await(f));
            } catch (ExecutionException e) {
                assertInstanceOf(IllegalStateException.class, e.getCause());
            }
        }
        try (Journal reopened = journal().open()) {
            List<Long> recovered = readAll(reopened, 0).stream().map(JournalRecord::position).toList();
            assertEquals(completed, recovered, "exactly the completed appends are on disk");
        }
    }

    @Test
    void shouldCompleteEveryAppendWhenTheLoopCloses() throws Exception {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        Journal journal = journal().open();
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 2000; i++) {
                futures.add(journal.append(record(i)));
            }
        });
        Thread.sleep(5);
        loop.close();
        producer.join();
        journal.closeAsync().get(TIMEOUT_S, TimeUnit.SECONDS);
        int completed = 0;
        for (CompletableFuture<Long> f : futures) {
            try {
                await(f);
                completed++;
            } catch (ExecutionException e) {
                assertInstanceOf(IllegalStateException.class, e.getCause(), e.getCause().toString());
            }
        }
        assertEquals(2000, futures.size());
        loop = EventLoop.builder().name("journal-reopen").daemon(true).with(FileSettings.defaults().withBackend(backend())).start();
        try (Journal reopened = journal().open()) {
            assertTrue(reopened.recovery().records() >= completed);
        }
    }

    @Test
    void shouldPushBackWhenTheQueueIsFull() throws Exception {
        try (Journal journal = journal().queueCapacity(16).open()) {
            await(journal.append(record(0)));
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch held = new CountDownLatch(1);
            loop.execute(() -> { // hold the loop thread so nothing drains
                held.countDown();
                try {
                    release.await(TIMEOUT_S, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            held.await();
            List<CompletableFuture<Long>> accepted = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                CompletableFuture<Long> future = journal.tryAppend(record(i));
                assertNotNull(future);
                accepted.add(future);
            }
            assertNull(journal.tryAppend(record(16)), "the queue is full");
            assertFalse(journal.tryAppend(record(16), null, new CountingHandler()));
            CompletableFuture<CompletableFuture<Long>> waiting = new CompletableFuture<>();
            Thread blocked = Thread.ofPlatform().start(() -> waiting.complete(journal.append(record(17))));
            assertFalse(waiting.isDone());
            release.countDown();
            long last = await(waiting.get(TIMEOUT_S, TimeUnit.SECONDS));
            blocked.join();
            for (CompletableFuture<Long> f : accepted) {
                assertTrue(await(f) < last);
            }
        }
    }

    @Test
    void shouldFailFastOnTheLoopThreadWhenTheQueueIsFull() throws Exception {
        try (Journal journal = journal().queueCapacity(16).open()) {
            CompletableFuture<List<CompletableFuture<Long>>> issued = new CompletableFuture<>();
            loop.execute(() -> {
                List<CompletableFuture<Long>> futures = new ArrayList<>();
                for (int i = 0; i < 17; i++) {
                    futures.add(journal.append(record(i)));
                }
                issued.complete(futures);
            });
            List<CompletableFuture<Long>> futures = issued.get(TIMEOUT_S, TimeUnit.SECONDS);
            CompletionException full = assertThrows(CompletionException.class, () -> futures.get(16).join());
            assertTrue(full.getCause().getMessage().contains("cannot wait"), full.getCause().getMessage());
            for (int i = 0; i < 16; i++) {
                await(futures.get(i));
            }
        }
    }

    static void assertStrictlyIncreasing(List<Long> positions) {
        for (int i = 1; i < positions.size(); i++) {
            assertTrue(positions.get(i) > positions.get(i - 1), "position " + i + " does not increase: " + positions);
        }
    }

    static void assertRecords(List<JournalRecord> records, List<Long> positions, int from) {
        assertEquals(positions.size() - from, records.size());
        for (int i = 0; i < records.size(); i++) {
            assertEquals(positions.get(from + i), records.get(i).position());
            assertArrayEquals(record(from + i), records.get(i).toByteArray(), "record " + (from + i));
        }
    }

    static final class CountingHandler implements AppendHandler<Object> {
        final AtomicInteger completed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();

        @Override
        public void completed(long position, Object attachment) {
            completed.incrementAndGet();
        }

        @Override
        public void failed(Throwable error, Object attachment) {
            failed.incrementAndGet();
        }
    }
}
