package io.fdloop.internal.loop;

import io.fdloop.internal.linux.Eventfd;
import io.fdloop.internal.linux.GuardedFd;
import io.fdloop.internal.linux.Syscalls;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tasks handed to the loop: a lock-free queue for other threads, plus an eventfd in the epoll
 * set that is written only when the loop sleeps or may be about to; and a plain queue of work the
 * loop thread defers to its next iteration (so that a failure is never delivered by recursion
 * inside the call that caused it).
 *
 * <p>Admission is one atomic step with the close: {@link #offer} either queues a task that the loop
 * will run, or returns false once {@link #closeAdmissions()} has happened; {@link #drainAfterClose()}
 * waits for offers still in progress, so no accepted task is left behind.
 *
 * <p><b>{@link #offer} and {@link #wake} from any thread; the rest on the loop thread.</b>
 */
final class TaskQueue implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.fdloop.EventLoop");
    private static final int MAX_TASKS_PER_ITERATION = 4096;
    private static final int CLOSED = 1 << 31;

    private final Syscalls syscalls;
    private final String loopName;
    private final Callbacks callbacks;
    private final GuardedFd wakeFd;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Runnable> deferred = new ArrayDeque<>(); // loop thread
    // CLOSED bit | offers in progress: an offer that got in before the close is waited for.
    private final AtomicInteger admissions = new AtomicInteger();
    // true while the loop may be asleep in epoll_wait: a task from another thread then writes the eventfd.
    private final AtomicBoolean wakeupNeeded = new AtomicBoolean();

    TaskQueue(Syscalls syscalls, String loopName, Callbacks callbacks) throws IOException {
        this.syscalls = syscalls;
        this.loopName = loopName;
        this.callbacks = callbacks;
        this.wakeFd = new GuardedFd(syscalls, Eventfd.create(syscalls, 0, 0));
    }

    /** The wake eventfd, for the loop's epoll set. */
    int wakeFd() {
        return wakeFd.fd();
    }

    /**
     * Queues {@code task}; {@code fromLoop} tells that the caller is the loop thread, which never
     * sleeps here. Returns false, queueing nothing, once admissions are closed. Any thread.
     */
    boolean offer(Runnable task, boolean fromLoop) {
        if (!enter()) {
            return false;
        }
        try {
            tasks.offer(task);
        } finally {
            admissions.decrementAndGet();
        }
        if (!fromLoop && wakeupNeeded.compareAndSet(true, false)) {
            wake();
        }
        return true;
    }

    private boolean enter() {
        while (true) {
            int s = admissions.get();
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (admissions.compareAndSet(s, s + 1)) {
                return true;
            }
        }
    }

    /** Runs {@code task} on the loop thread at the start of the next iteration, whatever the loop's state. Loop thread. */
    void defer(Runnable task) {
        deferred.add(task);
    }

    boolean isEmpty() {
        return tasks.isEmpty() && deferred.isEmpty();
    }

    /**
     * Runs the deferred work and the queued tasks, at most a batch of each: an endless stream (a
     * task or failure handler that queues itself again) cannot starve timers and fds.
     */
    void runBatch() {
        for (int i = deferred.size(); i > 0; i--) {
            callbacks.run(deferred.poll(), "a deferred completion");
        }
        for (int i = 0; i < MAX_TASKS_PER_ITERATION; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            callbacks.run(task, "a task");
        }
    }

    /** From now on {@link #offer} refuses. Any thread; idempotent. */
    void closeAdmissions() {
        admissions.getAndUpdate(s -> s | CLOSED);
    }

    /**
     * After {@link #closeAdmissions()}: waits for offers still in progress (each is a queue insert,
     * so this is short), then runs everything queued or deferred until nothing is left.
     */
    void drainAfterClose() {
        while (admissions.get() != CLOSED) {
            Thread.onSpinWait();
        }
        while (!isEmpty()) {
            runBatch();
        }
    }

    /**
     * The loop is about to sleep: from now on a task from another thread wakes it. Returns false
     * when a task came in before that and the loop must not sleep.
     */
    boolean prepareToSleep() {
        wakeupNeeded.set(true);
        return isEmpty();
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
