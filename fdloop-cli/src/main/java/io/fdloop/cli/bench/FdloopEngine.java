package io.fdloop.cli.bench;

import io.fdloop.EventLoop;
import io.fdloop.FileBackendChoice;
import io.fdloop.file.AlignedBuffers;
import io.fdloop.file.AsyncFile;
import io.fdloop.file.FileOption;
import io.fdloop.file.IoHandler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * fdloop on one loop thread, callback form: each completion issues the next request from its
 * handler, so {@code qd} requests stay outstanding and every batch goes out in one submit.
 */
public final class FdloopEngine implements Engine {
    private final String name;
    private final FileBackendChoice backend;

    public FdloopEngine(String name, FileBackendChoice backend) {
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
    public Result run(Job job) throws Exception {
        Set<FileOption> options = EnumSet.of(job.writes() ? FileOption.WRITE : FileOption.READ);
        if (job.direct()) {
            options.add(FileOption.DIRECT);
        }
        try (EventLoop loop = EventLoop.builder().name(name).daemon(true).fileBackend(backend)
                .queueDepth(Math.max(job.queueDepth(), 1)).start();
             Arena arena = Arena.ofShared();
             AsyncFile file = AsyncFile.open(loop, job.file(), options)) {
            Run run = new Run(job, file, arena);
            loop.execute(run::start);
            return run.result.get(job.warmupNs() + job.runtimeNs() + TimeUnit.SECONDS.toNanos(60), TimeUnit.NANOSECONDS);
        }
    }

    /** The state of one run, touched only on the loop thread. */
    private final class Run implements IoHandler<MemorySegment> {
        private final Job job;
        private final AsyncFile file;
        private final MemorySegment[] buffers;
        private final long blocks;
        private final CompletableFuture<Result> result = new CompletableFuture<>();
        private long cursor;
        private long random = 0x9E3779B97F4A7C15L;
        private long measureFromNs;
        private long measureUntilNs;
        private long cpuAtStartNs;
        private long allocatedAtStart;
        private boolean measuring;
        private long operations;
        private int outstanding;

        Run(Job job, AsyncFile file, Arena arena) {
            this.job = job;
            this.file = file;
            this.blocks = Math.max(1, job.size() / job.blockSize());
            this.buffers = new MemorySegment[job.queueDepth()];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = AlignedBuffers.allocate(arena, job.blockSize(), AlignedBuffers.SAFE_ALIGNMENT);
                buffers[i].fill((byte) i);
            }
        }

        void start() {
            long now = System.nanoTime();
            measureFromNs = now + job.warmupNs();
            measureUntilNs = measureFromNs + job.runtimeNs();
            for (MemorySegment buffer : buffers) {
                outstanding++;
                issue(buffer);
            }
        }

        private void issue(MemorySegment buffer) {
            long position = nextBlock() * job.blockSize();
            if (job.writes()) {
                file.write(buffer, position, buffer, this);
            } else {
                file.read(buffer, position, buffer, this);
            }
        }

        private long nextBlock() {
            if (!job.random()) {
                long block = cursor;
                cursor = cursor + 1 == blocks ? 0 : cursor + 1;
                return block;
            }
            random ^= random << 13;
            random ^= random >>> 7;
            random ^= random << 17;
            return Long.remainderUnsigned(random, blocks);
        }

        @Override
        public void completed(int bytes, MemorySegment buffer) {
            long now = System.nanoTime();
            if (!measuring && now >= measureFromNs) {
                measuring = true;
                measureFromNs = now;
                cpuAtStartNs = processCpuNs();
                allocatedAtStart = loopThreadAllocatedBytes();
            }
            if (measuring) {
                operations++;
            }
            if (now < measureUntilNs) {
                issue(buffer);
            } else if (--outstanding == 0) {
                double seconds = (now - measureFromNs) / 1e9;
                long allocated = loopThreadAllocatedBytes() - allocatedAtStart;
                result.complete(new Result(name, job, operations, seconds, processCpuNs() - cpuAtStartNs,
                        (double) allocated / Math.max(1, operations)));
            }
        }

        @Override
        public void failed(Throwable error, MemorySegment buffer) {
            result.completeExceptionally(error);
        }
    }

    /** Bytes the loop thread (the caller) allocated so far. */
    private static long loopThreadAllocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
