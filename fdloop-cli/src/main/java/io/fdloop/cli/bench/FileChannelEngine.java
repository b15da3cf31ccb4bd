package io.fdloop.cli.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CountDownLatch;

/**
 * What Java offers without an event loop: positional {@link FileChannel} reads and writes, one
 * thread per outstanding request ({@code qd} platform threads, or {@code qd} virtual threads).
 * The threads share one channel; each drives one slot and waits, once stopped, until the run is
 * closed, so the busy-thread count at the end of the window still sees it.
 */
public final class FileChannelEngine extends JvmEngine {
    private final String name;
    private final boolean virtual;

    /** {@code virtual}: virtual threads instead of platform threads. */
    public FileChannelEngine(String name, boolean virtual) {
        this.name = name;
        this.virtual = virtual;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    Execution start(Job job, Window window, Slot[] slots) throws IOException {
        FileChannel channel = FileChannel.open(job.file(), JdkOptions.of(job));
        Workload workload = new Workload(job);
        CountDownLatch closing = new CountDownLatch(1);
        Thread.Builder builder = virtual ? Thread.ofVirtual().name(name + "-", 0)
                : Thread.ofPlatform().daemon(true).name(name + "-", 0);
        Thread[] threads = new Thread[slots.length];
        for (int i = 0; i < slots.length; i++) {
            Slot slot = slots[i];
            threads[i] = builder.start(() -> {
                drive(job, window, workload, channel, slot);
                window.slotStopped();
                awaitQuietly(closing);
            });
        }
        return () -> {
            closing.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            channel.close();
        };
    }

    private static void drive(Job job, Window window, Workload workload, FileChannel channel, Slot slot) {
        try {
            long now = System.nanoTime();
            while (window.keepGoing(slot.index, slot.measured, now)) {
                slot.prepare(workload, job.verify());
                slot.submittedNs = now;
                ByteBuffer buffer = slot.buffer.clear();
                int bytes = slot.write ? channel.write(buffer, slot.offset) : channel.read(buffer, slot.offset);
                now = System.nanoTime();
                IOException problem = slot.problem(bytes, job.blockSize(), job.verify());
                if (problem != null) {
                    window.fail(problem);
                    return;
                }
                if (window.counts(now)) {
                    slot.record(now);
                }
            }
        } catch (IOException | RuntimeException e) {
            window.fail(e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
