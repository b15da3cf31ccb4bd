package io.fdloop.cli.bench;

import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.util.Set;

/**
 * {@link AsynchronousFileChannel} as users open it (the JDK's default thread pool, which on Linux
 * does blocking pread/pwrite), with {@code qd} operations outstanding: each completion handler
 * issues its slot's next request.
 */
public final class AsyncChannelEngine extends JvmEngine {

    @Override
    public String name() {
        return "jdk-async";
    }

    @Override
    Execution start(Job job, Window window, Slot[] slots) throws IOException {
        Set<java.nio.file.OpenOption> options = Set.of(JdkOptions.of(job));
        AsynchronousFileChannel channel = AsynchronousFileChannel.open(job.file(), options, null);
        Handler handler = new Handler(job, window, channel);
        long now = System.nanoTime();
        for (Slot slot : slots) {
            handler.issue(slot, now);
        }
        return channel::close;
    }

    /** One handler for every request; a slot's completions are serialised by its single request in flight. */
    private static final class Handler implements CompletionHandler<Integer, Slot> {
        private final Job job;
        private final Window window;
        private final AsynchronousFileChannel channel;
        private final Workload workload;

        Handler(Job job, Window window, AsynchronousFileChannel channel) {
            this.job = job;
            this.window = window;
            this.channel = channel;
            this.workload = new Workload(job);
        }

        void issue(Slot slot, long nowNs) {
            slot.prepare(workload, job.verify());
            slot.submittedNs = nowNs;
            if (slot.write) {
                channel.write(slot.buffer.clear(), slot.offset, slot, this);
            } else {
                channel.read(slot.buffer.clear(), slot.offset, slot, this);
            }
        }

        @Override
        public void completed(Integer bytes, Slot slot) {
            long now = System.nanoTime();
            if (window.settle(slot, bytes, job, now)) {
                issue(slot, now);
            }
        }

        @Override
        public void failed(Throwable error, Slot slot) {
            window.fail(error);
            window.slotStopped();
        }
    }
}
