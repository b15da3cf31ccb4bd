package io.fdloop.cli.bench;

import io.fdloop.EventLoop;
import io.fdloop.file.FileBackend;
import io.fdloop.file.FileSettings;
import io.fdloop.file.AsyncFile;
import io.fdloop.file.FileOption;
import io.fdloop.file.IoHandler;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * fdloop on one loop thread, callback form: each completion issues its slot's next request from
 * the handler, so {@code qd} requests stay outstanding and each batch goes out in one submit. The
 * handler, the slots (attachments) and the histograms exist before the run: nothing is allocated
 * per request, which the loop thread's allocation per operation shows.
 */
public final class FdloopEngine extends JvmEngine {
    private final String name;
    private final FileBackend backend;

    public FdloopEngine(String name, FileBackend backend) {
        this.name = name;
        this.backend = backend;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String unavailableBecause() {
        return backend.unavailabilityCause();
    }

    @Override
    Execution start(Job job, Window window, Slot[] slots) throws Exception {
        Set<FileOption> options = EnumSet.noneOf(FileOption.class);
        if (job.rw().reads()) {
            options.add(FileOption.READ);
        }
        if (job.rw().writes()) {
            options.add(FileOption.WRITE);
        }
        if (job.direct()) {
            options.add(FileOption.DIRECT);
        }
        EventLoop loop = EventLoop.builder().name(name).daemon(true)
                .with(FileSettings.defaults().withBackend(backend).withQueueDepth(job.queueDepth())).start();
        try {
            AsyncFile file = AsyncFile.open(loop, job.file(), options);
            CompletableFuture<Long> loopThread = new CompletableFuture<>();
            loop.execute(() -> loopThread.complete(Thread.currentThread().threadId()));
            long[] loopThreadId = {loopThread.get(10, TimeUnit.SECONDS)};
            Run run = new Run(job, window, file, slots);
            loop.execute(run::start);
            return new Execution() {
                @Override
                public long[] allocationThreads() {
                    return loopThreadId;
                }

                @Override
                public void close() {
                    file.close();
                    loop.close();
                }
            };
        } catch (IOException | RuntimeException e) {
            loop.close();
            throw e;
        }
    }

    /** One run's state, touched only on the loop thread. */
    private static final class Run implements IoHandler<Slot> {
        private final Job job;
        private final Window window;
        private final AsyncFile file;
        private final Slot[] slots;
        private final Workload workload;

        Run(Job job, Window window, AsyncFile file, Slot[] slots) {
            this.job = job;
            this.window = window;
            this.file = file;
            this.slots = slots;
            this.workload = new Workload(job);
        }

        void start() {
            long now = System.nanoTime();
            for (Slot slot : slots) {
                issue(slot, now);
            }
        }

        private void issue(Slot slot, long nowNs) {
            slot.prepare(workload, job.verify());
            slot.submittedNs = nowNs;
            if (slot.write) {
                file.write(slot.segment, slot.offset, slot, this);
            } else {
                file.read(slot.segment, slot.offset, slot, this);
            }
        }

        @Override
        public void completed(int bytes, Slot slot) {
            long now = System.nanoTime();
            if (window.settle(slot, bytes, job, now)) {
                issue(slot, now); // the completion's instant is the next request's submit instant: one clock read per request
            }
        }

        @Override
        public void failed(Throwable error, Slot slot) {
            window.fail(error);
            window.slotStopped();
        }
    }
}
