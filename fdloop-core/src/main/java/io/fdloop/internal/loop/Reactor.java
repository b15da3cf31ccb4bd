package io.fdloop.internal.loop;

import io.fdloop.internal.linux.Arch;
import io.fdloop.internal.linux.Epoll;
import io.fdloop.internal.linux.EpollEvents;
import io.fdloop.internal.linux.Syscalls;
import io.fdloop.FdHandler;
import io.fdloop.Interest;
import io.fdloop.IoSettings;
import io.fdloop.LoopObserver;
import io.fdloop.Registration;
import io.fdloop.Signal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
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
    private static final int EPOLL_EVERY_BUSY_ITERATIONS = 16;

    private static final int RUNNING = 0, SHUTTING_DOWN = 1, TERMINATED = 2;

    final String name;
    private final Syscalls syscalls;
    private final LoopConfig config;
    private final Callbacks callbacks;
    private final LoopObserver observer; // null: nobody watches
    private final Thread thread;
    private final Arena arena = Arena.ofShared();
    private final Epoll epoll;
    private final TaskQueue tasks;
    private final LoopTimers timers;
    private final LoopSignals signals;
    private int busyIterations; // iterations that found completions already visible
    private final Registrations registrations = new Registrations();
    private final FdWatches watches = new FdWatches(); // loop thread
    private volatile CompletionSource[] sources = new CompletionSource[0]; // index = token - TOKEN_SOURCE
    private volatile CompletionSource[] flushOrder = new CompletionSource[0]; // those that flush first, then the rest
    private final Map<Class<?>, Object> attachments = new ConcurrentHashMap<>();
    private final List<ShutdownParticipant> participants = new ArrayList<>(); // guarded by this
    private final long closeTimeoutNs;
    private final Set<LoopSignalRegistration> signalSubscriptions = new HashSet<>(); // guarded by this
    private final ArrayDeque<Runnable> lateTasks = new ArrayDeque<>(); // loop thread, once terminated
    private boolean runningLateTasks;
    private volatile int state = RUNNING;
    final CompletableFuture<Void> terminated = new CompletableFuture<>();

    Reactor(LoopConfig config) throws IOException {
        this.config = config;
        this.name = config.name();
        this.closeTimeoutNs = config.closeTimeoutNs();
        this.syscalls = config.syscalls();
        this.observer = config.observer();
        this.callbacks = new Callbacks(config.exceptions());
        this.thread = Thread.currentThread();
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            this.epoll = opened(opened, new Epoll(syscalls, Arch.current(), arena, MAX_EVENTS));
            this.tasks = opened(opened, new TaskQueue(syscalls, name, callbacks));
            this.timers = opened(opened, new LoopTimers(syscalls, arena, callbacks));
            this.signals = opened(opened, new LoopSignals(syscalls, name, callbacks));
            epoll.controlOrThrow(EpollEvents.EPOLL_CTL_ADD, tasks.wakeFd(), EpollEvents.EPOLLIN, TOKEN_WAKE);
            epoll.controlOrThrow(EpollEvents.EPOLL_CTL_ADD, timers.fd(), EpollEvents.EPOLLIN, TOKEN_TIMER);
            epoll.controlOrThrow(EpollEvents.EPOLL_CTL_ADD, signals.fd(), EpollEvents.EPOLLIN, TOKEN_SIGNAL);
        } catch (IOException | RuntimeException e) {
            for (AutoCloseable resource : opened.reversed()) {
                closeQuietly(resource);
            }
            arena.close();
            throw e;
        }
    }

    private static <T extends AutoCloseable> T opened(List<AutoCloseable> opened, T resource) {
        opened.add(resource);
        return resource;
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + resource + " failed", e);
        }
    }

    // ---- the iteration ------------------------------------------------------------------

    /** One iteration; {@code timeoutMs} -1 sleeps until an event. */
    void runOnce(int timeoutMs) throws IOException {
        iterate(timeoutMs, true);
    }

    /** The iteration; a closing loop runs it without serving user fds, only its own sources. */
    private void iterate(int timeoutMs, boolean serveUserFds) throws IOException {
        tasks.runBatch();
        boolean retrySoon = flushSources();
        boolean visible = anyVisibleCompletions();
        // A task that closed the loop must not leave it asleep: the caller finishes the close next.
        boolean closeRequested = serveUserFds && state != RUNNING;
        int timeout = visible || !tasks.isEmpty() || closeRequested || anyPendingWork() ? 0
                : retrySoon ? 1 : timeoutMs;
        // Armed even when not sleeping: timers fire only through the timerfd, and a loop whose task
        // queue never empties (a task that requeues itself) would otherwise never run them.
        timers.arm();
        if (timeout != 0 && !tasks.prepareToSleep()) {
            timeout = 0; // a task came in before the loop could be woken for it
        }
        // Completions already visible: reap them without asking epoll, except every
        // EPOLL_EVERY_BUSY_ITERATIONS-th time, so other fds and timers are still served while a
        // busy source keeps completing work inside its own submit call.
        if (timeout == 0 && visible && ++busyIterations % EPOLL_EVERY_BUSY_ITERATIONS != 0) {
            reapVisible();
            return;
        }
        int ready = epoll.await(timeout);
        tasks.awake();
        dispatch(ready, serveUserFds);
        if (visible) {
            reapVisible();
        }
    }

    private boolean flushSources() {
        boolean retrySoon = false;
        for (CompletionSource source : flushOrder) {
            int submitted = source.flush();
            if (submitted > 0 && observer != null) {
                observer.submitted(source.name(), submitted);
            }
            retrySoon |= source.stalled();
        }
        return retrySoon;
    }

    private boolean anyPendingWork() {
        for (CompletionSource source : sources) {
            if (source.hasPendingWork()) {
                return true;
            }
        }
        return false;
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
            if (FdWatches.isWatchToken(token)) {
                dispatchWatch(token, events.events(i));
            } else if (token < 0) {
                dispatchInternal(token);
            } else if (serveUserFds) {
                LoopRegistration registration = registrations.find(token);
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
                        callbacks.uncaught("the handler of fd " + registration.fd(), e);
                    }
                }
            }
        }
    }

    private void dispatchWatch(long token, int epollEvents) {
        FdWatcher watcher = watches.find(token);
        if (watcher != null) {
            try {
                watcher.ready(epollEvents);
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "an fd watcher on event loop " + name + " threw", e);
            }
        }
    }

    private void dispatchInternal(long token) throws IOException {
        if (token == TOKEN_WAKE) {
            long count = tasks.drainWakeups();
            if (observer != null) {
                observer.woke("wake", count, 0);
            }
        } else if (token == TOKEN_TIMER) {
            int ran = timers.expire();
            if (observer != null) {
                observer.woke("timer", timers.lastExpirations(), ran);
            }
        } else if (token == TOKEN_SIGNAL) {
            tasks.runBatch(); // a handler registered from another thread may still be queued as a task
            int ran = signals.dispatch();
            if (observer != null) {
                observer.woke("signal", signals.lastSignalCount(), ran);
            }
        } else {
            reap(sources[(int) (token - TOKEN_SOURCE)], true);
        }
    }

    // ---- tasks --------------------------------------------------------------------------

    @Override
    public void execute(Runnable task) {
        if (!tasks.offer(task, inLoop())) {
            throw new RejectedExecutionException("event loop " + name + " is closed");
        }
    }

    /**
     * Runs {@code task} on the loop thread at the start of the next iteration, also while the loop
     * closes; once it has terminated, at once on the calling thread (through a trampoline, so a task
     * that defers another does not recurse). Loop thread only.
     */
    @Override
    public void runLater(Runnable task) {
        if (state != TERMINATED) {
            tasks.defer(task);
            return;
        }
        lateTasks.add(task);
        if (runningLateTasks) {
            return;
        }
        runningLateTasks = true;
        try {
            Runnable next;
            while ((next = lateTasks.poll()) != null) {
                callbacks.run(next, "a deferred completion");
            }
        } finally {
            runningLateTasks = false;
        }
    }

    // ---- timers -------------------------------------------------------------------------

    LoopTimer schedule(Runnable task, long delayNs, long periodNs) {
        LoopTimer timer = new LoopTimer(this, task, LoopTimers.saturatedAdd(timers.nowNs(), Math.max(0, delayNs)), periodNs);
        if (inLoop()) {
            addTimer(timer);
        } else {
            execute(() -> addTimer(timer));
        }
        return timer;
    }

    private void addTimer(LoopTimer timer) {
        if (!timer.isCancelled() && state == RUNNING) {
            timers.add(timer);
        } else {
            timer.markCancelled();
        }
    }

    /** Takes a cancelled timer out of the queue (now on the loop thread, else through a task). */
    void removeTimer(LoopTimer timer) {
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

    // ---- fds ----------------------------------------------------------------------------

    LoopRegistration register(int fd, Interest interest, FdHandler handler) throws IOException {
        if (state != RUNNING) {
            throw new RejectedExecutionException("event loop " + name + " is closed");
        }
        long token = registrations.nextToken();
        LoopRegistration registration = new LoopRegistration(this, fd, interest, handler, token);
        registrations.put(registration);
        int r = epoll.control(EpollEvents.EPOLL_CTL_ADD, fd, epollEvents(interest), token);
        if (r < 0) {
            registration.markCancelled();
            registrations.remove(registration);
            throw Registrations.epollCtlError(r, fd);
        }
        return registration;
    }

    void modify(LoopRegistration registration, Interest interest) throws IOException {
        int r = epoll.control(EpollEvents.EPOLL_CTL_MOD, registration.fd(), epollEvents(interest), registration.token);
        if (r < 0) {
            throw Registrations.epollCtlError(r, registration.fd());
        }
    }

    /** The epoll event mask for {@code interest}; hang-ups are always reported. */
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

    void deregister(LoopRegistration registration) {
        registrations.remove(registration);
        if (state != TERMINATED) {
            // ENOENT/EBADF: the fd was closed first, which removed it from the set already.
            epoll.control(EpollEvents.EPOLL_CTL_DEL, registration.fd(), 0, 0);
        }
    }

    // ---- signals ------------------------------------------------------------------------

    /**
     * The subscription to the JVM's signal is taken under the same lock as the close's state change,
     * so a loop that closes either never subscribed or is unsubscribed by its own shutdown.
     */
    LoopSignalRegistration onSignal(Signal signal, Runnable handler) {
        LoopSignalRegistration registration = new LoopSignalRegistration(this, signal, handler);
        synchronized (this) {
            if (state != RUNNING) {
                throw new RejectedExecutionException("event loop " + name + " is closed");
            }
            SignalBridge.subscribe(signal, this);
            signalSubscriptions.add(registration);
        }
        if (inLoop()) {
            signals.add(registration);
        } else {
            try {
                execute(() -> signals.add(registration));
            } catch (RejectedExecutionException closing) {
                // the loop began to close since: its shutdown drops the subscription
            }
        }
        return registration;
    }

    private void unsubscribe(LoopSignalRegistration registration) {
        synchronized (this) {
            if (signalSubscriptions.remove(registration)) {
                SignalBridge.unsubscribe(registration.signal(), this);
            }
        }
    }

    /** Gives every signal back to the JVM where no other loop handles it. */
    private void unsubscribeAll() {
        synchronized (this) {
            for (LoopSignalRegistration registration : signalSubscriptions) {
                registration.markCancelled();
                SignalBridge.unsubscribe(registration.signal(), this);
            }
            signalSubscriptions.clear();
        }
    }

    void cancelSignal(LoopSignalRegistration registration) {
        unsubscribe(registration);
        if (inLoop()) {
            signals.remove(registration);
        } else {
            try {
                execute(() -> signals.remove(registration));
            } catch (RejectedExecutionException closed) {
                // the loop dropped every handler when it closed
            }
        }
    }

    /** Called on the JVM's signal-dispatch thread. */
    void signalArrived(Signal signal) {
        signals.arrived(signal);
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
    public <T extends IoSettings> T settings(Class<T> type, T defaults) {
        IoSettings given = config.ioSettings().get(type);
        return given == null ? defaults : type.cast(given);
    }

    @Override
    public <T> CompletableFuture<T> newFuture() {
        return new LoopFuture<>(this);
    }

    @Override
    public void uncaught(String where, Throwable error) {
        callbacks.uncaught(where, error);
    }

    /** The public face, named when user code's exceptions are reported. */
    void attach(io.fdloop.EventLoop face) {
        callbacks.attach(face);
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
        if (source.eventFd() >= 0) {
            epoll.controlOrThrow(EpollEvents.EPOLL_CTL_ADD, source.eventFd(), EpollEvents.EPOLLIN,
                    TOKEN_SOURCE + current.length);
        }
        CompletionSource[] grown = Arrays.copyOf(current, current.length + 1);
        grown[current.length] = source;
        CompletionSource[] ordered = new CompletionSource[grown.length];
        int at = 0;
        for (CompletionSource s : grown) {
            if (s.flushesFirst()) {
                ordered[at++] = s;
            }
        }
        for (CompletionSource s : grown) {
            if (!s.flushesFirst()) {
                ordered[at++] = s;
            }
        }
        flushOrder = ordered;
        sources = grown;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T attachment(Class<T> type, Function<LoopHost, T> factory) {
        return (T) attachments.computeIfAbsent(type, t -> factory.apply(this));
    }

    @Override
    public synchronized void addShutdownParticipant(ShutdownParticipant participant) {
        if (state != RUNNING) {
            throw new RejectedExecutionException("event loop " + name + " is closed");
        }
        participants.add(participant);
    }

    @Override
    public LoopTimer schedule(Runnable task, long delayNs) {
        return schedule(task, delayNs, 0);
    }

    @Override
    public long closeTimeoutNs() {
        return closeTimeoutNs;
    }

    @Override
    public long watch(int fd, int epollEvents, FdWatcher watcher) throws IOException {
        long token = watches.add(watcher);
        int r = epoll.controlFromOwner(EpollEvents.EPOLL_CTL_ADD, fd, epollEvents, token);
        if (r < 0) {
            watches.remove(token);
            throw Registrations.epollCtlError(r, fd);
        }
        return token;
    }

    @Override
    public int rewatch(long token, int fd, int epollEvents) {
        return epoll.controlFromOwner(EpollEvents.EPOLL_CTL_MOD, fd, epollEvents, token);
    }

    @Override
    public void unwatch(long token, int fd) {
        watches.remove(token);
        if (state != TERMINATED) {
            // ENOENT/EBADF: the fd was closed first, which removed it from the set already.
            epoll.controlFromOwner(EpollEvents.EPOLL_CTL_DEL, fd, 0, 0);
        }
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
            tasks.closeAdmissions();
        }
        if (!inLoop()) {
            tasks.wake();
        }
    }

    /**
     * Finishes the close on the loop thread: cancels timers and signal handlers, closes what the
     * participants own (their requests in flight may still complete), iterates until every source is
     * idle — cancelling what is left at half the close timeout and abandoning it (its memory kept) at
     * the whole — and only then closes the sources and the loop's own fds: fd numbers and memory are
     * reused at once.
     */
    void shutdown() {
        if (state == TERMINATED) {
            return;
        }
        timers.cancelAll();
        unsubscribeAll();
        signals.cancelAll();
        List<ShutdownParticipant> taking;
        synchronized (this) {
            taking = List.copyOf(participants);
        }
        taking.forEach(p -> callbacks.run(p::beginShutdown, "a shutdown step"));
        long startNs = System.nanoTime();
        if (!drainSources(startNs + closeTimeoutNs / 2)) {
            taking.forEach(p -> callbacks.run(p::cancelInFlight, "a shutdown step"));
        }
        if (!drainSources(startNs + closeTimeoutNs)) {
            LOG.log(System.Logger.Level.WARNING, "event loop " + name + ": requests still in flight "
                    + closeTimeoutNs / 1_000_000 + " ms into its close are abandoned (failed with "
                    + "AsynchronousCloseException; their memory is kept)");
            taking.forEach(p -> callbacks.run(p::abandonInFlight, "a shutdown step"));
        }
        taking.forEach(p -> callbacks.run(p::finishShutdown, "a shutdown step"));
        for (CompletionSource source : sources) {
            source.close();
        }
        for (LoopRegistration registration : registrations.snapshot()) {
            registration.markCancelled();
        }
        state = TERMINATED;
        tasks.drainAfterClose(); // every task accepted before the close runs, and sees a closed loop
        timers.close();
        epoll.close();
        signals.close();
        tasks.close();
        arena.close();
        terminated.complete(null);
    }

    /** Iterates until every source is idle; false when {@code deadlineNs} passed first. */
    private boolean drainSources(long deadlineNs) {
        while (true) {
            boolean busy = false;
            for (CompletionSource source : sources) {
                busy |= source.busy();
            }
            if (!busy && tasks.isEmpty()) {
                return true;
            }
            long leftMs = (deadlineNs - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                return false;
            }
            try {
                iterate((int) Math.min(100, leftMs), false);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "event loop " + name + " failed while closing", e);
                return false;
            }
        }
    }
}
