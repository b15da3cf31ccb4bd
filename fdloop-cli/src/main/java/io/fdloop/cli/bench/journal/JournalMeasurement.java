package io.fdloop.cli.bench.journal;

import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one engine for one job: {@code producers} platform threads each append a record and wait
 * until it is durable, again and again (a closed loop, as a broker's connection threads do with a
 * synchronous send); each records its commit latencies in its own histogram while the window is
 * open. CPU is the whole process's ({@code getProcessCpuTime}), producers included.
 *
 * <p><b>Not thread-safe</b>: used once, by the controlling thread.
 */
final class JournalMeasurement {
    private static final long MAX_LATENCY_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long MAINTAIN_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final JournalEngine engine;
    private final JournalJob job;
    private volatile boolean measuring;
    private volatile boolean stopping;

    JournalMeasurement(JournalEngine engine, JournalJob job) {
        this.engine = engine;
        this.job = job;
    }

    JournalResult run() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Producer> producers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try (JournalEngine.Session session = engine.open(job)) {
            for (int i = 0; i < job.producers(); i++) {
                Producer producer = new Producer(session, job.recordSize(), i, failure);
                producers.add(producer);
                threads.add(Thread.ofPlatform().name("producer-" + i).daemon(true).start(producer));
            }
            long start = System.nanoTime();
            sleepMaintaining(session, start + job.warmupNs(), failure);
            long syncsBefore = session.syncs();
            long cpuBefore = OS.getProcessCpuTime();
            long measureStart = System.nanoTime();
            measuring = true;
            sleepMaintaining(session, measureStart + job.runtimeNs(), failure);
            measuring = false;
            long measureEnd = System.nanoTime();
            long cpuAfter = OS.getProcessCpuTime();
            long syncsAfter = session.syncs();
            stopping = true;
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            }
            if (failure.get() != null) {
                throw new IllegalStateException(engine.name() + " failed: " + failure.get(), failure.get());
            }
            Histogram latencies = new Histogram(MAX_LATENCY_NS, 3);
            long records = 0;
            for (Producer p : producers) {
                latencies.add(p.latencies);
                records += p.measured;
            }
            long syncs = syncsBefore < 0 ? -1 : syncsAfter - syncsBefore;
            return new JournalResult(engine.name(), job, records, (measureEnd - measureStart) / 1e9, cpuAfter - cpuBefore,
                    syncs, us(latencies, 50), us(latencies, 99), us(latencies, 99.9),
                    latencies.getTotalCount() == 0 ? Double.NaN : latencies.getMaxValue() / 1000.0, session.notes(),
                    engine.durability());
        } finally {
            stopping = true;
        }
    }

    private void sleepMaintaining(JournalEngine.Session session, long untilNs, AtomicReference<Throwable> failure)
            throws InterruptedException {
        while (failure.get() == null) {
            long left = untilNs - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, MAINTAIN_NS));
            session.maintain();
        }
    }

    private static double us(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    /** One producer thread: append, wait, measure, again. */
    private final class Producer implements Runnable {
        private final JournalEngine.Session session;
        private final byte[][] records = new byte[16][];
        private final AtomicReference<Throwable> failure;
        final Histogram latencies = new Histogram(MAX_LATENCY_NS, 3);
        long measured;

        Producer(JournalEngine.Session session, int recordSize, int index, AtomicReference<Throwable> failure) {
            this.session = session;
            this.failure = failure;
            SplittableRandom random = new SplittableRandom(index);
            for (int i = 0; i < records.length; i++) {
                records[i] = new byte[recordSize];
                for (int j = 0; j < recordSize; j++) {
                    records[i][j] = (byte) random.nextInt();
                }
            }
        }

        @Override
        public void run() {
            try {
                for (int i = 0; !stopping; i++) {
                    long start = System.nanoTime();
                    session.appendAndWait(records[i & 15]);
                    long end = System.nanoTime();
                    if (measuring) {
                        latencies.recordValue(Math.min(end - start, MAX_LATENCY_NS));
                        measured++;
                    }
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }
    }
}
