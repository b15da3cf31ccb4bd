package io.fdloop;

import io.fdloop.internal.linux.Arch;
import io.fdloop.internal.linux.Epoll;
import io.fdloop.internal.linux.EpollEvents;
import io.fdloop.internal.linux.Syscalls;
import io.fdloop.internal.loop.CompletionSource;
import io.fdloop.internal.loop.FdWatcher;
import io.fdloop.internal.loop.FdWatches;
import io.fdloop.internal.loop.LoopHost;
import io.fdloop.internal.loop.LoopSettings;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
    private final LoopSettings settings;
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
    private volatile CompletionSource[] sources = new CompletionSource[0];
    private final Map<Class<?>, Object> attachments = new ConcurrentHashMap<>();
    private final List<Runnable> shutdownTasks = new ArrayList<>();
    private volatile int state = RUNNING;
    final CompletableFuture<Void> terminated = new CompletableFuture<>();

    Reactor(String name, Syscalls syscalls, LoopSettings settings, LoopObserver observer) throws IOException {
        this.name = name;
        this.syscalls = syscalls;
        this.settings = settings;
        this.observer = observer;
        this.thread = Thread.currentThread();
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            this.epoll = opened(opened, new Epoll(syscalls, Arch.current(), arena, MAX_EVENTS));
            this.tasks = opened(opened, new TaskQueue(syscalls, name));
            this.timers = opened(opened, new LoopTimers(syscalls, arena, name));
            this.signals = opened(opened, new LoopSignals(syscalls, name));
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
        for (CompletionSource source : sources) {
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
        if (state != RUNNING) {
            throw new RejectedExecutionException("event loop " + name + " is closed");
        }
        tasks.offer(task, inLoop());
    }

    // ---- timers -------------------------------------------------------------------------

    Timer schedule(Runnable task, long delayNs, long periodNs) {
        Timer timer = new Timer(this, task, LoopTimers.saturatedAdd(timers.nowNs(), Math.max(0, delayNs)), periodNs);
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

    // ---- fds ----------------------------------------------------------------------------

    Registration register(int fd, Interest interest, FdHandler handler) throws IOException {
        if (state != RUNNING) {
            throw new RejectedExecutionException("event loop " + name + " is closed");
        }
        long token = registrations.nextToken();
        Registration registration = new Registration(this, fd, interest, handler, token);
        registrations.put(registration);
        int r = epoll.control(EpollEvents.EPOLL_CTL_ADD, fd, interest.epollEvents(), token);
        if (r < 0) {
            registration.markCancelled();
            registrations.remove(registration);
            throw Registrations.epollCtlError(r, fd);
        }
        return registration;
    }

    void modify(Registration registration, Interest interest) throws IOException {
        int r = epoll.control(EpollEvents.EPOLL_CTL_MOD, registration.fd(), interest.epollEvents(), registration.token);
        if (r < 0) {
            throw Registrations.epollCtlError(r, registration.fd());
        }
    }

    void deregister(Registration registration) {
        registrations.remove(registration);
        if (state != TERMINATED) {
            // ENOENT/EBADF: the fd was closed first, which removed it from the set already.
            epoll.control(EpollEvents.EPOLL_CTL_DEL, registration.fd(), 0, 0);
        }
    }

    // ---- signals ------------------------------------------------------------------------

    SignalRegistration onSignal(Signal signal, Runnable handler) {
        if (state != RUNNING) {
            throw new RejectedExecutionException("event loop " + name + " is closed");
        }
        SignalRegistration registration = new SignalRegistration(this, signal, handler);
        if (inLoop()) {
            signals.add(registration);
        } else {
            execute(() -> signals.add(registration));
        }
        SignalBridge.subscribe(signal, this);
        return registration;
    }

    void cancelSignal(SignalRegistration registration) {
        SignalBridge.unsubscribe(registration.signal(), this);
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
        if (source.eventFd() >= 0) {
            epoll.controlOrThrow(EpollEvents.EPOLL_CTL_ADD, source.eventFd(), EpollEvents.EPOLLIN,
                    TOKEN_SOURCE + current.length);
        }
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
            tasks.wake();
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
        timers.cancelAll();
        signals.cancelAll(this);
        drainSources();
        List<Runnable> finalTasks;
        synchronized (this) {
            finalTasks = List.copyOf(shutdownTasks);
        }
        finalTasks.forEach(task -> Callbacks.run(task, "shutdown task", name));
        for (CompletionSource source : sources) {
            source.close();
        }
        for (Registration registration : registrations.snapshot()) {
            registration.markCancelled();
        }
        state = TERMINATED;
        tasks.runBatch(); // whatever slipped in before the state changed: each sees a closed loop
        timers.close();
        epoll.close();
        signals.close();
        tasks.close();
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
}
