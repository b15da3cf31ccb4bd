package io.fdloop.internal.file.threads;

import io.fdloop.file.FileBackend;
import io.fdloop.internal.file.Backend;
import io.fdloop.internal.file.CompletionSink;
import io.fdloop.internal.file.OpTable;
import io.fdloop.internal.file.Operation;
import io.fdloop.internal.file.SlotQueue;
import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.Eventfd;
import io.fdloop.internal.linux.Syscalls;
import io.fdloop.internal.loop.CompletionSource;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * File operations on a small pool of platform threads doing blocking {@code pread}/{@code pwrite}/
 * {@code fsync}: for what the kernel cannot do asynchronously (buffered files on Linux AIO). Workers
 * post each result to a queue and poke this backend's eventfd, which sits in the loop's epoll set,
 * so completions arrive on the loop thread like any other event.
 *
 * <p><b>Loop thread only</b>, except the workers, which touch only the two locked queues.
 */
public final class ThreadPoolBackend implements Backend, CompletionSource {
    private final Syscalls syscalls;
    private final OpTable ops;
    private final CompletionSink sink;
    private final int eventFd;
    private final Thread[] workers;
    private final SlotQueue unsent = new SlotQueue(); // loop thread
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    private final RequestQueue work = new RequestQueue(); // guarded by lock
    private int[] doneSlots = new int[64]; // guarded by lock
    private long[] doneResults = new long[64]; // guarded by lock
    private long[] doneFirstSteps = new long[64]; // guarded by lock: a write's result before its sync's
    private int doneCount; // guarded by lock
    private boolean stopping; // guarded by lock
    private int[] takenSlots = new int[64]; // loop thread: the batch being delivered
    private long[] takenResults = new long[64];
    private long[] takenFirstSteps = new long[64];
    private int outstanding; // loop thread: sent and not yet delivered
    private int[] cancelled = new int[64]; // loop thread: slots taken back from the work queue
    private long lastSignalCount; // loop thread
    private boolean closed;

    private ThreadPoolBackend(Syscalls syscalls, OpTable ops, CompletionSink sink, int eventFd, int threads,
                              String name) {
        this.syscalls = syscalls;
        this.ops = ops;
        this.sink = sink;
        this.eventFd = eventFd;
        this.workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = Thread.ofPlatform().name(name + "-file-" + i).daemon(true).start(this::work);
        }
    }

    public static ThreadPoolBackend open(Syscalls syscalls, OpTable ops, CompletionSink sink, int threads,
                                         String name) throws IOException {
        return new ThreadPoolBackend(syscalls, ops, sink, Eventfd.create(syscalls, 0, 0), threads, name);
    }

    @Override
    public String name() {
        return "threads";
    }

    @Override
    public FileBackend kind() {
        return FileBackend.THREADS;
    }

    @Override
    public int eventFd() {
        return eventFd;
    }

    @Override
    public void submit(int slot) {
        unsent.add(slot);
        outstanding++;
    }

    @Override
    public int flush() {
        int count = unsent.size();
        if (count == 0) {
            return 0;
        }
        lock.lock();
        try {
            // The operation table is the loop's: workers get copies of what they need.
            for (int i = 0; i < count; i++) {
                int slot = unsent.peek(i);
                work.add(slot, ops.operation(slot), ops.fd(slot), ops.address(slot), ops.length(slot), ops.position(slot),
                        ops.vectorCount(slot), ops.guard(slot));
            }
            workAvailable.signalAll();
        } finally {
            lock.unlock();
        }
        unsent.remove(count);
        return count;
    }

    @Override
    public boolean stalled() {
        return false;
    }

    /** Requests on {@code fd} that no worker has started complete with {@code -ECANCELED}. */
    @Override
    public void cancel(int fd) {
        flush(); // what was queued this iteration joins the work queue, where it can be taken back
        int count;
        boolean wasEmpty;
        lock.lock();
        try {
            if (cancelled.length < work.size()) {
                cancelled = new int[work.size()];
            }
            count = work.removeFd(fd, cancelled);
            wasEmpty = doneCount == 0;
            for (int i = 0; i < count; i++) {
                addDone(cancelled[i], -Errno.ECANCELED, OpTable.NO_RESULT);
            }
        } finally {
            lock.unlock();
        }
        if (count > 0 && wasEmpty) {
            wakeLoop();
        }
    }

    @Override
    public long lastSignalCount() {
        return lastSignalCount;
    }

    @Override
    public boolean hasVisibleCompletions() {
        return false;
    }

    @Override
    public int reap(boolean signalled) {
        lastSignalCount = signalled ? Eventfd.drain(syscalls, eventFd, "thread backend's") : 0;
        int count;
        lock.lock();
        try {
            count = doneCount;
            if (takenSlots.length < count) {
                takenSlots = new int[doneSlots.length];
                takenResults = new long[doneSlots.length];
                takenFirstSteps = new long[doneSlots.length];
            }
            System.arraycopy(doneSlots, 0, takenSlots, 0, count);
            System.arraycopy(doneResults, 0, takenResults, 0, count);
            System.arraycopy(doneFirstSteps, 0, takenFirstSteps, 0, count);
            doneCount = 0;
        } finally {
            lock.unlock();
        }
        outstanding -= count;
        for (int i = 0; i < count; i++) {
            if (takenFirstSteps[i] != OpTable.NO_RESULT) {
                ops.recordFirstStep(takenSlots[i], takenFirstSteps[i]);
            }
            sink.complete(takenSlots[i], takenResults[i]);
        }
        return count;
    }

    @Override
    public boolean busy() {
        return outstanding > 0;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        lock.lock();
        try {
            stopping = true;
            workAvailable.signalAll();
        } finally {
            lock.unlock();
        }
        if (outstanding > 0) {
            // Requests were abandoned in workers still inside a system call: let them finish on their
            // own (they are daemon threads and hold their fds through the guards) rather than wait.
            return;
        }
        boolean interrupted = false;
        for (Thread worker : workers) {
            while (true) {
                try {
                    worker.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        syscalls.close(eventFd);
    }

    private void work() {
        RequestQueue.Request request = new RequestQueue.Request();
        while (true) {
            lock.lock();
            try {
                while (work.isEmpty() && !stopping) {
                    workAvailable.awaitUninterruptibly();
                }
                if (work.isEmpty()) {
                    return;
                }
                work.poll(request);
            } finally {
                lock.unlock();
            }
            if (request.operation == Operation.WRITE_FDATASYNC) {
                performWriteThenSync(request);
            } else {
                complete(request.slot, perform(request), OpTable.NO_RESULT);
            }
        }
    }

    private long perform(RequestQueue.Request r) {
        // The guard keeps the fd number from being closed (and reused by another open) while in use.
        if (r.guard != null && !r.guard.acquire()) {
            return -Errno.EBADF;
        }
        try {
            while (true) {
                long result = switch (r.operation) {
                    case READ -> syscalls.pread(r.fd, r.address, r.length, r.position);
                    case WRITE -> syscalls.pwrite(r.fd, r.address, r.length, r.position);
                    case READV -> syscalls.preadv(r.fd, r.address, r.vectorCount, r.position);
                    case WRITEV -> syscalls.pwritev(r.fd, r.address, r.vectorCount, r.position);
                    case FSYNC -> syscalls.fsync(r.fd);
                    case FDATASYNC, WRITE_FDATASYNC -> syscalls.fdatasync(r.fd);
                };
                if (result != -Errno.EINTR) {
                    return result;
                }
            }
        } finally {
            if (r.guard != null) {
                r.guard.release();
            }
        }
    }

    /** The write, then (when it wrote every byte) the sync, on this worker: one hand-off for both. */
    private void performWriteThenSync(RequestQueue.Request r) {
        Operation sync = r.operation;
        r.operation = Operation.WRITE;
        long written = perform(r);
        r.operation = sync;
        if (written != r.length) {
            complete(r.slot, written, OpTable.NO_RESULT);
        } else {
            complete(r.slot, perform(r), written);
        }
    }

    private void complete(int slot, long result, long firstStep) {
        boolean wasEmpty;
        lock.lock();
        try {
            wasEmpty = doneCount == 0;
            addDone(slot, result, firstStep);
        } finally {
            lock.unlock();
        }
        if (wasEmpty) {
            // Only the first completion of a batch needs to wake the loop; the rest ride along.
            wakeLoop();
        }
    }

    /** Under the lock. */
    private void addDone(int slot, long result, long firstStep) {
        if (doneCount == doneSlots.length) {
            doneSlots = Arrays.copyOf(doneSlots, doneCount * 2);
            doneResults = Arrays.copyOf(doneResults, doneCount * 2);
            doneFirstSteps = Arrays.copyOf(doneFirstSteps, doneCount * 2);
        }
        doneSlots[doneCount] = slot;
        doneFirstSteps[doneCount] = firstStep;
        doneResults[doneCount++] = result;
    }

    private void wakeLoop() {
        try {
            Eventfd.write(syscalls, eventFd, 1);
        } catch (IOException e) {
            throw new IllegalStateException("the thread backend's eventfd failed", e);
        }
    }
}
