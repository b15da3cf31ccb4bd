package io.fdloop.internal.http.transport;

import io.fdloop.EventLoop;
import io.fdloop.EventLoopGroup;
import io.fdloop.http.ServerOptions;
import io.fdloop.internal.http.ServerContext;
import io.fdloop.internal.http.files.FileLookups;
import io.fdloop.internal.http.files.FileResolver;
import io.fdloop.internal.http.files.MimeTypes;
import io.fdloop.internal.http.files.OpenFileCache;
import io.fdloop.internal.http.log.AccessLogFile;
import io.fdloop.internal.http.log.AccessLogWriter;
import io.fdloop.internal.http.log.LogTime;
import io.fdloop.internal.http.response.DateClock;
import io.fdloop.internal.http.response.ResponsePlanner;
import io.fdloop.net.Listener;
import io.fdloop.net.NetMechanism;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A running server: what its loops share (the lookup threads, the resolver, the access log file, the
 * connection slots), one {@link LoopServer} per loop, the listener (one {@code SO_REUSEPORT} socket per
 * loop), and the stop: stop accepting, drain every loop, reset what is still open at the shutdown
 * timeout, flush the access log, let go of the cached files, stop the lookup threads, and close the
 * loops when the server made them.
 *
 * <p><b>Thread-safe.</b> {@link #start} and {@link #shutdown} may be called from any thread except the
 * group's loops (they wait for the loops).
 */
public final class ServerRuntime {
    private static final System.Logger LOG = System.getLogger(ServerRuntime.class.getName());
    /** Lookups waiting for a thread at most; beyond it a miss is answered 503 rather than queued without end. */
    private static final int LOOKUP_QUEUE = 4096;
    /** What each loop keeps in memory of small files at most ({@link ServerOptions#smallFileBytes()}). */
    private static final long SMALL_FILES_PER_LOOP = 64L << 20;
    private static final int LOG_BUFFER_BYTES = 64 * 1024;
    private static final int LOG_BUFFERS = 8;
    private static final Duration LOG_FLUSH_INTERVAL = Duration.ofSeconds(1);
    /** How long the stop waits for a loop once connections were reset, or for the access log to be written. */
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger SERVERS = new AtomicInteger();

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final ServerOptions options;
    private final ThreadPoolExecutor lookupThreads;
    private final AccessLogFile accessLogFile;
    private final ConnectionSlots slots;
    private final Map<EventLoop, LoopServer> servers;
    private Listener listener;
    private CompletableFuture<Void> stopped; // guarded by this

    private ServerRuntime(EventLoopGroup group, boolean ownsGroup, ServerOptions options, ThreadPoolExecutor lookupThreads,
                          AccessLogFile accessLogFile, Map<EventLoop, LoopServer> servers, ConnectionSlots slots) {
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.options = options;
        this.lookupThreads = lookupThreads;
        this.accessLogFile = accessLogFile;
        this.servers = servers;
        this.slots = slots;
    }

    /**
     * Starts serving {@code options.root()} on every loop of {@code group}; the server closes the group when
     * it stops if {@code ownsGroup}. Any thread except the group's loops.
     *
     * @throws IOException when the root cannot be served, the address not bound, the access log not opened,
     *                     or the socket mechanism is unavailable here (the message says which)
     */
    public static ServerRuntime start(EventLoopGroup group, boolean ownsGroup, ServerOptions options) throws IOException {
        for (EventLoop loop : group) {
            if (loop.inLoop()) {
                throw new IllegalStateException("a server cannot be started from a thread of its own loops ("
                        + loop.name() + "): start it from another thread");
            }
        }
        NetMechanism mechanism = options.mechanism();
        if (!mechanism.isAvailable()) {
            throw new IOException("the socket mechanism " + mechanism.name().toLowerCase(java.util.Locale.ROOT)
                    + " is unavailable here: " + mechanism.unavailabilityCause());
        }
        FileResolver resolver = new FileResolver(options, MimeTypes.standard());
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(options.bindHost()), options.port());
        ThreadPoolExecutor lookupThreads = lookupThreads(options.fileLookupThreads());
        AccessLogFile accessLogFile = options.accessLog().map(AccessLogFile::new).orElse(null);
        ConnectionSlots slots = new ConnectionSlots(options.maxConnections());
        DateClock clock = DateClock.system();
        LogTime logTime = LogTime.system();
        Map<EventLoop, LoopServer> servers = new IdentityHashMap<>();
        ServerRuntime runtime = new ServerRuntime(group, ownsGroup, options, lookupThreads, accessLogFile, servers, slots);
        try {
            for (EventLoop loop : group) {
                AccessLogWriter log = accessLogFile == null ? null
                        : AccessLogWriter.open(loop, accessLogFile, LOG_BUFFER_BYTES, LOG_BUFFERS, LOG_FLUSH_INTERVAL);
                OpenFileCache cache = new OpenFileCache(options.openFileCacheEntries(),
                        options.openFileCacheValidity().toNanos(), System::nanoTime);
                ServerContext context = new ServerContext(options, new FileLookups(loop, lookupThreads, resolver, cache),
                        new ResponsePlanner(options, clock, ThreadLocalRandom.current().nextLong()), log, logTime);
                servers.put(loop, new LoopServer(loop, context, slots,
                        new SmallFiles(options.smallFileBytes(), SMALL_FILES_PER_LOOP)));
            }
            // The map is complete before the first accept: the listener's registration on each loop orders them.
            Function<EventLoop, LoopServer> byLoop = servers::get;
            runtime.listener = Listener.builder().mechanism(mechanism).bind(group, address,
                    connection -> byLoop.apply(connection.loop()).accept(connection));
        } catch (IOException | RuntimeException e) {
            runtime.releaseAfterFailedStart();
            throw e;
        }
        return runtime;
    }

    private static ThreadPoolExecutor lookupThreads(int threads) {
        int id = SERVERS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(LOOKUP_QUEUE), r -> {
                    Thread t = new Thread(r, "fdloop-http-" + id + "-lookup-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** The address the listener is bound to (the real port when 0 was asked for). Any thread. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Connections open now, over all loops. Any thread. */
    public int openConnections() {
        return slots.taken();
    }

    /** Connections refused so far because {@code maxConnections} were open. Any thread. */
    public long refusedConnections() {
        return slots.refused();
    }

    /** Starts a new access log generation: every loop reopens the log's path (after a rotation). Any thread. */
    public void reopenAccessLog() {
        if (accessLogFile == null) {
            return;
        }
        accessLogFile.reopen();
        for (LoopServer server : servers.values()) {
            try {
                server.loop().execute(server::reopenAccessLog);
            } catch (RejectedExecutionException closing) {
                // a closing loop writes no more lines
            }
        }
    }

    /** Starts the graceful stop once; the future completes when it is done. Any thread. */
    public synchronized CompletableFuture<Void> shutdown() {
        if (stopped == null) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            stopped = done;
            Thread.ofPlatform().name("fdloop-http-shutdown").start(() -> {
                try {
                    stop();
                    done.complete(null);
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                }
            });
        }
        return stopped;
    }

    private void stop() throws InterruptedException {
        listener.close();
        List<CompletableFuture<Void>> drains = onEveryLoop(LoopServer::drain);
        if (!await(drains, options.shutdownTimeout())) {
            int open = slots.taken();
            LOG.log(System.Logger.Level.WARNING, "{0} connections were still open after the shutdown timeout ({1});"
                    + " resetting them", open, options.shutdownTimeout());
            onEveryLoop(server -> {
                server.abortAll();
                return CompletableFuture.completedFuture(null);
            });
            await(drains, STEP_TIMEOUT);
        }
        await(onEveryLoop(LoopServer::release), STEP_TIMEOUT);
        lookupThreads.shutdownNow();
        if (ownsGroup) {
            group.close();
        }
    }

    /** Runs {@code step} on each loop; a loop already closed counts as done. */
    private List<CompletableFuture<Void>> onEveryLoop(Function<LoopServer, CompletableFuture<Void>> step) {
        List<CompletableFuture<Void>> each = new ArrayList<>();
        for (LoopServer server : servers.values()) {
            CompletableFuture<Void> one = new CompletableFuture<>();
            each.add(one);
            try {
                server.loop().execute(() -> {
                    try {
                        step.apply(server).whenComplete((ignored, error) -> one.complete(null));
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "stopping the server on " + server.loop().name() + " failed", e);
                        one.complete(null);
                    }
                });
            } catch (RejectedExecutionException closed) {
                one.complete(null);
            }
        }
        return each;
    }

    private static boolean await(List<CompletableFuture<Void>> futures, Duration timeout) throws InterruptedException {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a server step failed", e.getCause()); // the steps complete normally
        }
    }

    private void releaseAfterFailedStart() {
        if (listener != null) {
            listener.close();
        }
        for (LoopServer server : servers.values()) {
            AccessLogWriter log = server.context().accessLog();
            if (log != null) {
                try {
                    server.loop().execute(log::closeAsync);
                } catch (RejectedExecutionException closed) {
                    // the loop closes its files itself
                }
            }
        }
        lookupThreads.shutdownNow();
    }

    @Override
    public String toString() {
        return "HttpServer[" + options.root() + " on " + (listener == null ? "-" : listener.localAddress()) + ", "
                + servers.size() + (servers.size() == 1 ? " loop" : " loops") + "]";
    }
}
