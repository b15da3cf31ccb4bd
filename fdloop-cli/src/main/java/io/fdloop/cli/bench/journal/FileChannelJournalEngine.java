package io.fdloop.cli.bench.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;

/**
 * The group commit users write today: producers hand records to one writer thread through a
 * lock-free queue and park; the writer takes everything queued, frames it as fdloop does (length,
 * CRC32C, padding to 8 bytes) into one direct buffer, writes it with one {@code FileChannel.write}
 * and calls {@code force(false)} (fdatasync), then wakes the batch's producers. The file is
 * pre-zeroed before the run and written round and round, so no write extends it.
 */
final class FileChannelJournalEngine implements JournalEngine {
    private static final long FILE_SIZE = 256L << 20;
    private static final int BATCH_BYTES = 1 << 20;

    @Override
    public String name() {
        return "filechannel";
    }

    @Override
    public String durability() {
        return "FileChannel.write + force(false) per batch";
    }

    @Override
    public Session open(JournalJob job) throws IOException {
        Path file = job.directory().resolve("filechannel.log");
        java.nio.file.Files.createDirectories(job.directory());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long at = 0; at < FILE_SIZE; at += zeros.capacity()) {
                zeros.clear();
                while (zeros.hasRemaining()) {
                    channel.write(zeros, at + zeros.position());
                }
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        Writer writer = new Writer(channel, Math.max(BATCH_BYTES, 2 * (16 + job.recordSize())));
        Thread thread = Thread.ofPlatform().name("filechannel-writer").daemon(true).start(writer);
        writer.thread = thread;
        return new Session() {
            @Override
            public void appendAndWait(byte[] record) throws Exception {
                writer.append(record);
            }

            @Override
            public long syncs() {
                return writer.syncs;
            }

            @Override
            public String notes() {
                return String.format(java.util.Locale.ROOT, "%.1f records/batch", writer.syncs == 0 ? 0.0
                        : (double) writer.records / writer.syncs);
            }

            @Override
            public void close() throws Exception {
                writer.stop();
                thread.join();
                channel.close();
            }
        };
    }

    /** One append waiting for its batch. */
    private static final class Request {
        final byte[] record;
        final Thread waiter = Thread.currentThread();
        volatile boolean done;
        volatile IOException error;

        Request(byte[] record) {
            this.record = record;
        }
    }

    private static final class Writer implements Runnable {
        private final FileChannel channel;
        private final ByteBuffer batch;
        private final CRC32C crc = new CRC32C();
        private final ConcurrentLinkedQueue<Request> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean sleeping = new AtomicBoolean();
        private final List<Request> taken = new ArrayList<>();
        private volatile boolean stopping;
        private long position;
        volatile long syncs;
        volatile long records;
        Thread thread;

        Writer(FileChannel channel, int batchBytes) {
            this.channel = channel;
            this.batch = ByteBuffer.allocateDirect(batchBytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        void append(byte[] record) throws IOException {
            Request request = new Request(record);
            queue.offer(request);
            if (sleeping.get() && sleeping.compareAndSet(true, false)) {
                LockSupport.unpark(thread);
            }
            while (!request.done) {
                LockSupport.park(this);
            }
            if (request.error != null) {
                throw request.error;
            }
        }

        void stop() {
            stopping = true;
            LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            while (!stopping) {
                Request first = queue.poll();
                if (first == null) {
                    sleeping.set(true);
                    if (queue.isEmpty() && !stopping) {
                        LockSupport.park(this);
                    }
                    sleeping.set(false);
                    continue;
                }
                batch.clear();
                taken.clear();
                for (Request r = first; r != null; r = batch.remaining() >= frame(queue.peek()) ? queue.poll() : null) {
                    put(r.record);
                    taken.add(r);
                }
                IOException failure = null;
                try {
                    batch.flip();
                    if (position + batch.remaining() > FILE_SIZE) {
                        position = 0; // round and round the pre-zeroed file
                    }
                    while (batch.hasRemaining()) {
                        position += channel.write(batch, position);
                    }
                    channel.force(false);
                    syncs++;
                    records += taken.size();
                } catch (IOException e) {
                    failure = e;
                }
                for (Request r : taken) {
                    r.error = failure;
                    r.done = true;
                    LockSupport.unpark(r.waiter);
                }
            }
        }

        private static int frame(Request r) {
            return r == null ? Integer.MAX_VALUE : (16 + r.record.length + 7) & -8;
        }

        private void put(byte[] record) {
            int at = batch.position();
            batch.putInt(record.length).putInt(0).putLong(0).put(record);
            while ((batch.position() & 7) != 0) {
                batch.put((byte) 0);
            }
            crc.reset();
            crc.update(batch.duplicate().position(at + 8).limit(at + 16 + record.length));
            batch.putInt(at + 4, (int) crc.getValue());
        }
    }
}
