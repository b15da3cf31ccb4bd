package io.fdloop.cli.bench;

import org.apache.activemq.artemis.nativo.jlibaio.LibaioContext;
import org.apache.activemq.artemis.nativo.jlibaio.LibaioFile;
import org.apache.activemq.artemis.nativo.jlibaio.SubmitInfo;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * Apache ActiveMQ Artemis's JNI libaio binding ({@code activemq-artemis-native} 2.0.0), driven the
 * way its own tests and a benchmark would: one thread submits each request with its own
 * {@code io_submit} ({@code LibaioFile.read}/{@code write}), then blocks in
 * {@code LibaioContext.poll(callbacks, 1, qd)}, which reaps up to {@code qd} completions from the
 * AIO ring in user space, and issues the next request of each completed slot.
 */
public final class ArtemisEngine extends JvmEngine {

    @Override
    public String name() {
        return "artemis";
    }

    @Override
    public String unavailableBecause() {
        return ArtemisNative.unavailableBecause();
    }

    @Override
    Execution start(Job job, Window window, Slot[] slots) throws IOException {
        if (unavailableBecause() != null) {
            throw new IOException(unavailableBecause());
        }
        LibaioContext<Request> context = new LibaioContext<>(slots.length, false, false);
        LibaioFile<Request> file;
        try {
            // Artemis opens every file O_RDWR | O_CREAT (and O_DIRECT when asked).
            file = context.openFile(job.file().toFile(), job.direct());
        } catch (IOException | RuntimeException e) {
            context.close();
            throw e;
        }
        CountDownLatch closing = new CountDownLatch(1);
        Poller poller = new Poller(job, window, context, file, slots);
        Thread thread = Thread.ofPlatform().daemon(true).name("artemis-poller").start(() -> {
            poller.run();
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return () -> {
            closing.countDown();
            thread.join();
            file.close();
            context.close();
        };
    }

    /** A slot as Artemis's callback: the native poll reports errors through {@link #onError}. */
    static final class Request implements SubmitInfo {
        final Slot slot;
        int errno;
        String error;

        Request(Slot slot) {
            this.slot = slot;
        }

        @Override
        public void onError(int errno, String message) {
            this.errno = errno;
            this.error = message;
        }

        @Override
        public void done() {
        }
    }

    /** The one thread that submits and reaps. */
    private static final class Poller {
        private final Job job;
        private final Window window;
        private final LibaioContext<Request> context;
        private final LibaioFile<Request> file;
        private final Request[] requests;
        private final Request[] completed;
        private final Workload workload;

        Poller(Job job, Window window, LibaioContext<Request> context, LibaioFile<Request> file, Slot[] slots) {
            this.job = job;
            this.window = window;
            this.context = context;
            this.file = file;
            this.requests = new Request[slots.length];
            for (int i = 0; i < slots.length; i++) {
                requests[i] = new Request(slots[i]);
            }
            this.completed = new Request[slots.length];
            this.workload = new Workload(job);
        }

        void run() {
            int running = 0;
            long now = System.nanoTime();
            for (Request request : requests) {
                if (issue(request, now)) {
                    running++;
                }
            }
            while (running > 0) {
                int reaped = context.poll(completed, 1, completed.length);
                now = System.nanoTime();
                for (int i = 0; i < reaped; i++) {
                    Request request = completed[i];
                    completed[i] = null;
                    if (!complete(request, now) || !issue(request, now)) {
                        running--;
                    }
                }
            }
        }

        /** Whether the request's slot goes on. */
        private boolean complete(Request request, long nowNs) {
            Slot slot = request.slot;
            if (request.error != null) {
                stop(new IOException("artemis: " + (slot.write ? "write" : "read") + " at offset " + slot.offset
                        + " failed: " + request.error + " (errno " + request.errno + ")"));
                return false;
            }
            // Artemis's poll does not hand over the bytes transferred: a full block is assumed.
            return window.settle(slot, job.blockSize(), job, nowNs);
        }

        /** Submits the slot's next request; false (and the slot stopped) when that fails. */
        private boolean issue(Request request, long nowNs) {
            Slot slot = request.slot;
            slot.prepare(workload, job.verify());
            slot.submittedNs = nowNs;
            try {
                if (slot.write) {
                    file.write(slot.offset, job.blockSize(), slot.buffer.clear(), request);
                } else {
                    file.read(slot.offset, job.blockSize(), slot.buffer.clear(), request);
                }
                return true;
            } catch (IOException | RuntimeException e) {
                stop(e);
                return false;
            }
        }

        private void stop(Exception failure) {
            window.fail(failure);
            window.slotStopped();
        }
    }
}
