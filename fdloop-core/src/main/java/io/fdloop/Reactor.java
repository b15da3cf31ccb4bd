package io.fdloop;

import io.fdloop.internal.linux.Arch;
import io.fdloop.internal.linux.Epoll;
import io.fdloop.internal.linux.EpollEvents;
import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.Errors;
import io.fdloop.internal.linux.Eventfd;
import io.fdloop.internal.linux.GuardedFd;
import io.fdloop.internal.linux.Syscalls;
import io.fdloop.internal.linux.Timerfd;
import io.fdloop.internal.loop.CompletionSource;
import io.fdloop.internal.loop.LoopHost;
import io.fdloop.internal.loop.LoopSettings;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;

/**
 * The duty cycle behind {@link EventLoop}: one epoll set holding the wake eventfd, the timerfd,
 * the signal eventfd, one eventfd per completion source (file backend) and the users' fds.
 * One iteration:
 * <ol>
 *   <li>run the tasks handed over by {@code execute};</li>
 *   <li>flush every completion source (one {@code io_submit} per backend);</li>
 *   <li>if completions are already visible, do not sleep;</li>
 *   <li>{@code epoll_wait};</li>
 *   <li>dispatch each ready fd: reap a source, run due timers, run signal handlers, or call a
 *       user handler.</li>
 * </ol>
 *
 * <p><b>Loop thread only</b>, except the methods {@link LoopHost} and the public API document
 * as any-thread.
 */
final class Reactor implements LoopHost {
    private static final System.Logger LOG = System.getLogger("io.fdloop.EventLoop");

    private static final long TOKEN_INTERNAL = Long.MIN_VALUE;
    private static final long TOKEN_WAKE = TOKEN_INTERNAL | 1, TOKEN_TIMER = TOKEN_INTERNAL | 2,
            TOKEN_SIGNAL = TOKEN_INTERNAL | 3, TOKEN_SOURCE = TOKEN_INTERNAL | 0x100;
    private static final int MAX_EVENTS = 256;
    private static final int MAX_TASKS_PER_ITERATION = 4096;
    private static final int EPOLL_EVERY_BUSY_ITERATIONS = 16;

    private static final int RUNNING = 0, SHUTTING_DOWN = 1, TERMINATED = 2;

    final String name;
    private final Syscalls syscalls;
    private final LoopSettings settings;
    private final LoopObserver observer; // null: nobody watches
    private final Thread thread;
    private final Arena arena = Arena.ofShared();
    private final Epoll epoll;
    private final GuardedFd wakeFd;
    private final GuardedFd signalFd;
    private final Timerfd timerfd;
    private final long clockOffsetNs;
    private final TimerQueue timers = new TimerQueue();
    private long armedDeadlineNs;
    private int busyIterations; // iterations that found completions already visible
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    // true while the loop may be asleep in epoll_wait: execute() then writes the wake eventfd.
    private final AtomicBoolean wakeupNeeded = new AtomicBoolean();
    private final Registrations registrations = new Registrations();
    private volatile CompletionSource[] sources = new CompletionSource[0];
    private final Map<Class<?>, Object> attachments = new ConcurrentHashMap<>();
    private final List<Runnable> shutdownTasks = new ArrayList<>();
    private final AtomicIntegerArray pendingSignals = new AtomicIntegerArray(Signal.values().length);
    private final Map<Signal, List<SignalRegistration>> signalHandlers = new EnumMap<>(Signal.class);
    private volatile int state = RUNNING;
    final CompletableFuture<Void> terminated = new CompletableFuture<>();

    Reactor(String name, Syscalls syscalls, LoopSettings settings, LoopObserver observer) throws IOException {
        this.name = name;
        this.syscalls = syscalls;
        this.settings = settings;
        this.observer = observer;
        this.thread = Thread.currentThread();
        Epoll createdEpoll = null;
        Timerfd createdTimerfd = null;
        GuardedFd createdWake = null;
        try {
            createdEpoll = new Epoll(syscalls, Arch.current(), arena, MAX_EVENTS);
            createdTimerfd = new Timerfd(syscalls, arena);
            createdWake = new GuardedFd(syscalls, Eventfd.create(syscalls, 0, 0));
            this.signalFd = new GuardedFd(syscalls, Eventfd.create(syscalls, 0, 0));
        } catch (IOException | RuntimeException e) {
            if (createdWake != null) {
                createdWake.close();
            }
            if (createdTimerfd != null) {
                createdTimerfd.close();
            }
            if (createdEpoll != null) {
                createdEpoll.close();
            }
            arena.close();
            throw e;
        }
        this.epoll = createdEpoll;
        this.timerfd = createdTimerfd;
        this.wakeFd = createdWake;
        this.clockOffsetNs = measureClockOffset(timerfd);
        epoll.controlOrThrow(EpollEvents.EPOLL_CTL_ADD, wakeFd.fd(), EpollEvents.EPOLLIN, TOKEN_WAKE);
        epoll.controlOrThrow(EpollEvents.EPOLL_CTL_ADD, timerfd.fd(), EpollEvents.EPOLLIN, TOKEN_TIMER);
        epoll.controlOrThrow(EpollEvents.EPOLL_CTL_ADD, signalFd.fd(), EpollEvents.EPOLLIN, TOKEN_SIGNAL);
    }

    // ---- the iteration ------------------------------------------------------------------

    /** One iteration; {@code timeoutMs} -1 sleeps until an event. */
    void runOnce(int timeoutMs) throws IOException {
        iterate(timeoutMs, true);
    }

    /** The iteration; a closing loop runs it without serving user fds, only its own sources. */
    private void iterate(int timeoutMs, boolean serveUserFds) throws IOException {
        runTasks();
        boolean retrySoon = flushSources();
        boolean visible = anyVisibleCompletions();
        // A task that closed the loop must not leave it asleep: the caller finishes the close next.
        boolean closeRequested = serveUserFds && state != RUNNING;
        int timeout = visible || !tasks.isEmpty() || closeRequested ? 0 : retrySoon ? 1 : timeoutMs;
        // Armed even when not sleeping: timers fire only through the timerfd, and a loop whose task
        // queue never empties (a task that requeues itself) would otherwise never run them.
        armTimerfd();
        if (timeout != 0) {
            wakeupNeeded.set(true);
            // A task queued before the flag was set did not wake us: look once more.
            if (!tasks.isEmpty()) {
                timeout = 0;
            }
        }
        // Completions already visible: reap them without asking epoll, except every
        // EPOLL_EVERY_BUSY_ITERATIONS-th time, so other fds and timers are still served while a
        // busy source keeps completing work inside its own submit call.
        if (timeout == 0 && visible && ++busyIterations % EPOLL_EVERY_BUSY_ITERATIONS != 0) {
            reapVisible();
            return;
        }
        int ready = epoll.await(timeout);
        wakeupNeeded.set(false);
        dispatch(ready, serveUserFds);
        if (visible) {
            reapVisible();
        }
    }

    private void runTasks() {
        for (int i = 0; i < MAX_TASKS_PER_ITERATION; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            safely(task, "task");
        }
    }

    private boolean flushSources() {
        boolean retrySoon = false;
        for (CompletionSource source : sources) {
            int submitted = source.flush();
            if (submitted > 0 && observer != null) {
                observer.submitted(source.name(), submitted);
            }
            retrySoon |= source.stalled();
        }
        return retrySoon;
    }

    private boolean anyVisibleCompletions() {
        for (CompletionSource source : sources) {
            if (source.hasVisibleCompletions()) {
                return true;
            }
        }
        return false;
    }

    private void reapVisible() {
        for (CompletionSource source : sources) {
            if (source.hasVisibleCompletions()) {
                reap(source, false);
            }
        }
    }

    private void reap(CompletionSource source, boolean signalled) {
        int reaped = source.reap(signalled);
        if (observer != null) {
            observer.woke(source.name(), source.lastSignalCount(), reaped);
        }
    }

    private void dispatch(int ready, boolean serveUserFds) throws IOException {
        EpollEvents events = epoll.ready();
        for (int i = 0; i < ready; i++) {
            long token = events.data(i);
            if (token < 0) {
                dispatchInternal(token);
            } else if (serveUserFds) {
                Registration registration = registrations.find(token);
                if (registration != null) {
                    int ops = events.events(i);
                    if ((ops & EpollEvents.EPOLLRDHUP) != 0) {
                        ops |= Registration.HANGUP;
                    }
                    int readyOps = ops & (Registration.READABLE | Registration.WRITABLE | Registration.ERROR
                            | Registration.HANGUP);
                    try {
                        registration.dispatch(readyOps);
                    } catch (RuntimeException | Error e) {
                        LOG.log(System.Logger.Level.WARNING, "handler for fd " + registration.fd() + " threw", e);
                    }
                }
            }
        }
    }

    private void dispatchInternal(long token) throws IOException {
        if (token == TOKEN_WAKE) {
            long count = Eventfd.read(syscalls, wakeFd.fd());
            if (observer != null) {
                observer.woke("wake", count, 0);
            }
        } else if (token == TOKEN_TIMER) {
            long expirations = timerfd.drain();
            armedDeadlineNs = 0; // an absolute timerfd that fired is disarmed
            int ran = runDueTimers();
            if (observer != null) {
                observer.woke("timer", expirations, ran);
            }
        } else if (token == TOKEN_SIGNAL) {
            long count = Eventfd.read(syscalls, signalFd.fd());
            runTasks(); // a handler registered from another thread may still be queued as a task
            int ran = runSignalHandlers();
            if (observer != null) {
                observer.woke("signal", count, ran);
            }
        } else {
            reap(sources[(int) (token - TOKEN_SOURCE)], true);
        }
    }

    // ---- tasks --------------------------------------------------------------------------

    @Override
    public void execute(Runnable task) {
        if (state != RUNNING) {
            throw new RejectedExecutionException("event loop " + name + " is closed");
        }
        tasks.offer(task);
        if (!inLoop() && wakeupNeeded.compareAndSet(true, false)) {
            wake();
        }
    }

    private void wake() {
        if (wakeFd.acquire()) {
            try {
                Eventfd.write(syscalls, wakeFd.fd(), 1);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "cannot wake event loop " + name, e);
            } finally {
                wakeFd.release();
            }
        }
    }

    // ---- timers -------------------------------------------------------------------------

    /** {@code CLOCK_MONOTONIC} now, from {@code System.nanoTime()}: any thread. */
    long nowNs() {
        return System.nanoTime() + clockOffsetNs;
    }

    /**
     * How far {@code CLOCK_MONOTONIC}, which the timerfd uses, is from {@code System.nanoTime()}
     * (on HotSpot/Linux the same clock, so about 0): the narrowest of a few bracketed samples.
     */
    private static long measureClockOffset(Timerfd timerfd) {
        long best = 0;
        long narrowest = Long.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            long before = System.nanoTime();
            long monotonic = timerfd.monotonicNanos();
            long after = System.nanoTime();
            if (after - before < narrowest) {
                narrowest = after - before;
                best = monotonic - (before + (after - before) / 2);
            }
        }
        return best;
    }

    Timer schedule(Runnable task, long delayNs, long periodNs) {
        Timer timer = new Timer(this, task, saturatedAdd(nowNs(), Math.max(0, delayNs)), periodNs);
        if (inLoop()) {
            addTimer(timer);
        } else {
            execute(() -> addTimer(timer));
        }
        return timer;
    }

    private void addTimer(Timer timer) {
        if (!timer.isCancelled() && state == RUNNING) {
            timers.add(timer);
        } else {
            timer.markCancelled();
        }
    }

    /** Takes a cancelled timer out of the queue (now on the loop thread, else through a task). */
    void removeTimer(Timer timer) {
        if (inLoop()) {
            timers.remove(timer);
            return;
        }
        try {
            execute(() -> timers.remove(timer));
        } catch (RejectedExecutionException closed) {
            // the closing loop drops every timer itself
        }
    }

    private int runDueTimers() {
        long now = timerfd.monotonicNanos(); // the timerfd's own clock: whatever fired it is due
        int ran = 0;
        Timer timer;
        while ((timer = timers.peek()) != null && timer.deadlineNs <= now) {
            timers.poll();
            if (!timer.claimRun()) {
                continue; // cancelled from another thread; the removal task it queued has not run yet
            }
            if (timer.isPeriodic()) {
                timer.deadlineNs = saturatedAdd(timer.deadlineNs, timer.periodNs);
                timers.add(timer);
            }
            safely(timer.task, "timer");
            ran++;
        }
        return ran;
    }

    private void armTimerfd() throws IOException {
        long earliest = timers.size() == 0 ? 0 : timers.earliestDeadline();
        if (earliest != armedDeadlineNs) {
            timerfd.arm(earliest);
            armedDeadlineNs = earliest;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    // ---- fds ----------------------------------------------------------------------------

    Registration register(int fd, Interest interest, FdHandler handler) throws IOException {
        if (state != RUNNING) {
            throw new RejectedExecutionException("event loop " + name + " is closed");
        }
        long token = registrations.nextToken();
        Registration registration = new Registration(this, fd, interest, handler, token);
        registrations.put(registration);
        int r = epoll.control(EpollEvents.EPOLL_CTL_ADD, fd, epollEvents(interest), token);
        if (r < 0) {
            registration.markCancelled();
            registrations.remove(registration);
            throw registrationError(r, fd);
        }
        return registration;
    }

    void modify(Registration registration, Interest interest) throws IOException {
        int r = epoll.control(EpollEvents.EPOLL_CTL_MOD, registration.fd(), epollEvents(interest), registration.token);
        if (r < 0) {
            throw registrationError(r, registration.fd());
        }
    }

    void deregister(Registration registration) {
        registrations.remove(registration);
        if (state != TERMINATED) {
            // ENOENT/EBADF: the fd was closed first, which removed it from the set already.
            epoll.control(EpollEvents.EPOLL_CTL_DEL, registration.fd(), 0, 0);
        }
    }

    private static int epollEvents(Interest interest) {
        int events = EpollEvents.EPOLLRDHUP;
        if (interest.read()) {
            events |= EpollEvents.EPOLLIN;
        }
        if (interest.write()) {
            events |= EpollEvents.EPOLLOUT;
        }
        if (interest.isEdgeTriggered()) {
            events |= EpollEvents.EPOLLET;
        }
        return events;
    }

    private static IOException registrationError(int negativeErrno, int fd) {
        return switch (-negativeErrno) {
            case Errno.EEXIST -> new IOException("fd " + fd + " is already registered with this loop: "
                    + "modify its registration instead");
            case Errno.EPERM -> new IOException("fd " + fd + " cannot be waited on with epoll (regular files and "
                    + "directories are always ready): use AsyncFile for files");
            default -> Errors.ioException("epoll_ctl", negativeErrno, "fd " + fd);
        };
    }

    // ---- signals ------------------------------------------------------------------------

    SignalRegistration onSignal(Signal signal, Runnable handler) {
        if (state != RUNNING) {
            throw new RejectedExecutionException("event loop " + name + " is closed");
        }
        SignalRegistration registration = new SignalRegistration(this, signal, handler);
        if (inLoop()) {
            addSignalHandler(registration);
        } else {
            execute(() -> addSignalHandler(registration));
        }
        SignalBridge.subscribe(signal, this);
        return registration;
    }

    private void addSignalHandler(SignalRegistration registration) {
        if (!registration.isCancelled()) {
            signalHandlers.computeIfAbsent(registration.signal(), s -> new ArrayList<>()).add(registration);
        }
    }

    void cancelSignal(SignalRegistration registration) {
        SignalBridge.unsubscribe(registration.signal(), this);
        Runnable remove = () -> {
            List<SignalRegistration> handlers = signalHandlers.get(registration.signal());
            if (handlers != null) {
                handlers.remove(registration);
            }
        };
        if (inLoop()) {
            remove.run();
        } else {
            try {
                execute(remove);
            } catch (RejectedExecutionException closed) {
                // the loop dropped every handler when it closed
            }
        }
    }

    /** Called on the JVM's signal-dispatch thread. */
    void signalArrived(Signal signal) {
        pendingSignals.incrementAndGet(signal.ordinal());
        if (signalFd.acquire()) {
            try {
                Eventfd.write(syscalls, signalFd.fd(), 1);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "cannot deliver SIG" + signal + " to event loop " + name, e);
            } finally {
                signalFd.release();
            }
        }
    }

    private int runSignalHandlers() {
        int ran = 0;
        for (Signal signal : Signal.values()) {
            if (pendingSignals.getAndSet(signal.ordinal(), 0) > 0) {
                List<SignalRegistration> handlers = signalHandlers.get(signal);
                if (handlers != null) {
                    for (SignalRegistration handler : List.copyOf(handlers)) {
                        safely(handler.handler(), "SIG" + signal + " handler");
                        ran++;
                    }
                }
            }
        }
        return ran;
    }

    // ---- LoopHost -----------------------------------------------------------------------

    @Override
    public String name() {
        return name;
    }

    @Override
    public Syscalls syscalls() {
        return syscalls;
    }

    @Override
    public LoopSettings settings() {
        return settings;
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public boolean isShuttingDown() {
        return state != RUNNING;
    }

    @Override
    public synchronized void addSource(CompletionSource source) throws IOException {
        if (state != RUNNING) {
            throw new RejectedExecutionException("event loop " + name + " is closed");
        }
        CompletionSource[] current = sources;
        epoll.controlOrThrow(EpollEvents.EPOLL_CTL_ADD, source.eventFd(), EpollEvents.EPOLLIN,
                TOKEN_SOURCE + current.length);
        CompletionSource[] grown = Arrays.copyOf(current, current.length + 1);
        grown[current.length] = source;
        sources = grown;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T attachment(Class<T> type, Function<LoopHost, T> factory) {
        return (T) attachments.computeIfAbsent(type, t -> factory.apply(this));
    }

    @Override
    public synchronized void onShutdown(Runnable task) {
        shutdownTasks.add(task);
    }

    // ---- closing ------------------------------------------------------------------------

    boolean isTerminated() {
        return state == TERMINATED;
    }

    /** Stops taking work; the loop thread finishes the close. Any thread. */
    void requestClose() {
        synchronized (this) {
            if (state != RUNNING) {
                return;
            }
            state = SHUTTING_DOWN;
        }
        if (!inLoop()) {
            wake();
        }
    }

    /**
     * Finishes the close on the loop thread: cancels timers and signal handlers, waits for every
     * source to go idle (so no memory the kernel may still write is released early), runs the
     * shutdown tasks, then closes the sources and the loop's own fds.
     */
    void shutdown() {
        if (state == TERMINATED) {
            return;
        }
        for (Timer timer : timers.drain()) {
            timer.markCancelled();
        }
        for (List<SignalRegistration> handlers : signalHandlers.values()) {
            for (SignalRegistration handler : handlers) {
                handler.markCancelled();
                SignalBridge.unsubscribe(handler.signal(), this);
            }
        }
        signalHandlers.clear();
        drainSources();
        List<Runnable> finalTasks;
        synchronized (this) {
            finalTasks = List.copyOf(shutdownTasks);
        }
        finalTasks.forEach(task -> safely(task, "shutdown task"));
        for (CompletionSource source : sources) {
            source.close();
        }
        for (Registration registration : registrations.snapshot()) {
            registration.markCancelled();
        }
        state = TERMINATED;
        runTasks(); // whatever slipped in before the state changed: each sees a closed loop
        timerfd.close();
        epoll.close();
        signalFd.close();
        wakeFd.close();
        arena.close();
        terminated.complete(null);
    }

    private void drainSources() {
        while (true) {
            boolean busy = false;
            for (CompletionSource source : sources) {
                busy |= source.busy();
            }
            if (!busy && tasks.isEmpty()) {
                return;
            }
            try {
                iterate(100, false);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "event loop " + name + " failed while closing", e);
                return;
            }
        }
    }

    private void safely(Runnable runnable, String what) {
        try {
            runnable.run();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "a " + what + " on event loop " + name + " threw", e);
        }
    }
}
