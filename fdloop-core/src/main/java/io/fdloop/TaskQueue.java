package io.fdloop;

import io.fdloop.internal.linux.Eventfd;
import io.fdloop.internal.linux.GuardedFd;
import io.fdloop.internal.linux.Syscalls;

import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tasks other threads hand to the loop: a lock-free queue, plus an eventfd in the epoll set
 * that is written only when the loop sleeps or may be about to.
 *
 * <p><b>{@link #offer} from any thread; the rest on the loop thread.</b>
 */
final class TaskQueue implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.fdloop.EventLoop");
    private static final int MAX_TASKS_PER_ITERATION = 4096;

    private final Syscalls syscalls;
    private final String loopName;
    private final GuardedFd wakeFd;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    // true while the loop may be asleep in epoll_wait: a task from another thread then writes the eventfd.
    private final AtomicBoolean wakeupNeeded = new AtomicBoolean();

    TaskQueue(Syscalls syscalls, String loopName) throws IOException {
        this.syscalls = syscalls;
        this.loopName = loopName;
        this.wakeFd = new GuardedFd(syscalls, Eventfd.create(syscalls, 0, 0));
    }

    /** The wake eventfd, for the loop's epoll set. */
    int wakeFd() {
        return wakeFd.fd();
    }

    /** Queues {@code task}; {@code fromLoop} tells that the caller is the loop thread, which never sleeps here. */
    void offer(Runnable task, boolean fromLoop) {
        tasks.offer(task);
        if (!fromLoop && wakeupNeeded.compareAndSet(true, false)) {
            wake();
        }
    }

    boolean isEmpty() {
        return tasks.isEmpty();
    }

    /** Runs the queued tasks, at most a batch of them, so an endless stream cannot starve the loop. */
    void runBatch() {
        for (int i = 0; i < MAX_TASKS_PER_ITERATION; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            Callbacks.run(task, "task", loopName);
        }
    }

    /**
     * The loop is about to sleep: from now on a task from another thread wakes it. Returns false
     * when a task came in before that and the loop must not sleep.
     */
    boolean prepareToSleep() {
        wakeupNeeded.set(true);
        return tasks.isEmpty();
    }

    /** The loop is awake again (tasks need no wake-up until the next {@link #prepareToSleep}). */
    void awake() {
        wakeupNeeded.set(false);
    }

    /** Consumes the wake eventfd's counter after epoll reported it. */
    long drainWakeups() throws IOException {
        return Eventfd.read(syscalls, wakeFd.fd());
    }

    /** Wakes the loop whether or not it sleeps (a close asked from another thread). Any thread. */
    void wake() {
        if (wakeFd.acquire()) {
            try {
                Eventfd.write(syscalls, wakeFd.fd(), 1);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "cannot wake event loop " + loopName, e);
            } finally {
                wakeFd.release();
            }
        }
    }

    /** Closes the wake eventfd once no other thread is writing it. */
    @Override
    public void close() {
        wakeFd.close();
    }
}
