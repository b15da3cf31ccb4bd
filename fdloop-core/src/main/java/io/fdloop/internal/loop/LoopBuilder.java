package io.fdloop.internal.loop;

import io.fdloop.EventLoop;
import io.fdloop.IoSettings;
import io.fdloop.LoopExceptionHandler;
import io.fdloop.LoopObserver;
import io.fdloop.internal.linux.Syscalls;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link EventLoop.Builder}, and the test seam that puts a {@link Syscalls} in front of the kernel.
 *
 * <p><b>Not thread-safe.</b>
 */
public final class LoopBuilder implements EventLoop.Builder {
    private static final System.Logger LOG = System.getLogger("io.fdloop.EventLoop");
    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    private String name;
    private boolean daemon;
    private Duration closeTimeout = Duration.ofSeconds(10);
    private LoopObserver observer;
    private LoopExceptionHandler exceptionHandler = Callbacks.LOGGING;
    private final Map<Class<? extends IoSettings>, IoSettings> ioSettings = new HashMap<>();
    private Syscalls syscalls = Syscalls.linux();

    @Override
    public LoopBuilder name(String name) {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    @Override
    public LoopBuilder daemon(boolean daemon) {
        this.daemon = daemon;
        return this;
    }

    @Override
    public LoopBuilder closeTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("closeTimeout must not be negative, was " + timeout);
        }
        this.closeTimeout = timeout;
        return this;
    }

    @Override
    public LoopBuilder observer(LoopObserver observer) {
        this.observer = observer;
        return this;
    }

    @Override
    public LoopBuilder exceptionHandler(LoopExceptionHandler handler) {
        this.exceptionHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    @Override
    public LoopBuilder with(IoSettings settings) {
        ioSettings.put(Objects.requireNonNull(settings, "settings").getClass(), settings);
        return this;
    }

    /**
     * The test seam: the system calls the loop and its I/O make, for injecting what the kernel will
     * not produce on demand (EAGAIN, partial submits, EINTR, EIO). Not for production use.
     */
    public LoopBuilder syscalls(Syscalls syscalls) {
        this.syscalls = Objects.requireNonNull(syscalls);
        return this;
    }

    @Override
    public EventLoop build() throws IOException {
        return new DefaultEventLoop(new Reactor(config(threadName())), null);
    }

    @Override
    public EventLoop start() throws IOException {
        CompletableFuture<Reactor> created = new CompletableFuture<>();
        LoopConfig config = config(threadName());
        Thread thread = Thread.ofPlatform().name(config.name()).daemon(daemon).unstarted(() -> {
            Reactor reactor;
            try {
                reactor = new Reactor(config);
            } catch (IOException | RuntimeException e) {
                created.completeExceptionally(e);
                return;
            }
            created.complete(reactor);
            runUntilClosed(reactor);
        });
        thread.start();
        try {
            return new DefaultEventLoop(created.join(), thread);
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private LoopConfig config(String loopName) {
        return new LoopConfig(loopName, syscalls, observer, exceptionHandler,
                DefaultEventLoop.saturatedNanos(closeTimeout), Map.copyOf(ioSettings));
    }

    private static void runUntilClosed(Reactor reactor) {
        try {
            while (!reactor.isShuttingDown()) {
                reactor.runOnce(-1);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "event loop " + reactor.name + " failed; closing it", e);
            reactor.requestClose();
        } finally {
            reactor.shutdown();
        }
    }

    private String threadName() {
        if (name == null) {
            name = "fdloop-" + NEXT_ID.getAndIncrement();
        }
        return name;
    }
}
