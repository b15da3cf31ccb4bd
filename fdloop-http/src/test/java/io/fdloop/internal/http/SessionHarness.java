package io.fdloop.internal.http;

import io.fdloop.EventLoop;
import io.fdloop.http.ServerOptions;
import io.fdloop.internal.http.files.FileLookups;
import io.fdloop.internal.http.files.FileResolver;
import io.fdloop.internal.http.files.MimeTypes;
import io.fdloop.internal.http.files.OpenFileCache;
import io.fdloop.internal.http.log.AccessLogFile;
import io.fdloop.internal.http.log.AccessLogWriter;
import io.fdloop.internal.http.log.LogTime;
import io.fdloop.internal.http.response.DateClock;
import io.fdloop.internal.http.response.ResponsePlanner;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The engine as a server runs it, minus the sockets: a real event loop, real lookups on lookup threads,
 * the open-file cache, the planner, the access log; each {@link Conn} is a session over a
 * {@link RecordingTransport}. Every wait is bounded.
 */
final class SessionHarness implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    final EventLoop loop;
    final ExecutorService lookupThreads;
    final ServerContext context;
    final FileLookups lookups;
    final AccessLogWriter accessLog;

    SessionHarness(ServerOptions options) throws Exception {
        loop = EventLoop.builder().name("http-test").daemon(true).start();
        lookupThreads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "http-test-lookup");
            t.setDaemon(true);
            return t;
        });
        FileResolver resolver = new FileResolver(options, MimeTypes.standard());
        OpenFileCache cache = new OpenFileCache(options.openFileCacheEntries(),
                options.openFileCacheValidity().toNanos(), System::nanoTime);
        lookups = new FileLookups(loop, lookupThreads, resolver, cache);
        AccessLogWriter log = null;
        if (options.accessLog().isPresent()) {
            AccessLogFile file = new AccessLogFile(options.accessLog().get());
            log = onLoop(() -> AccessLogWriter.open(loop, file, 4096, 4, Duration.ofMillis(50)));
        }
        accessLog = log;
        context = new ServerContext(options, lookups, new ResponsePlanner(options, DateClock.system(), 1), log,
                LogTime.system());
    }

    <T> T onLoop(Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    void run(Runnable task) throws Exception {
        onLoop(() -> {
            task.run();
            return null;
        });
    }

    Conn connect() throws Exception {
        return onLoop(() -> {
            RecordingTransport t = new RecordingTransport();
            HttpSession s = new HttpSession(context, t, "127.0.0.1");
            t.attach(s);
            return new Conn(s, t);
        });
    }

    /** Waits (bounded) until {@code condition}, checked on the loop thread, holds. */
    void await(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!onLoop(condition::getAsBoolean)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    @Override
    public void close() {
        try {
            if (accessLog != null) {
                onLoop(accessLog::closeAsync).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            run(() -> lookups.cache().clear());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while closing the harness", e);
        } catch (Exception e) {
            throw new IllegalStateException("closing the harness failed", e);
        } finally {
            lookupThreads.shutdownNow();
            loop.close();
        }
    }

    /** One connection: a session and the transport recording what it sends. */
    final class Conn {
        final HttpSession session;
        final RecordingTransport transport;

        Conn(HttpSession session, RecordingTransport transport) {
            this.session = session;
            this.transport = transport;
        }

        Conn send(String text) throws Exception {
            return send(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        Conn send(byte[] bytes) throws Exception {
            run(() -> session.received(MemorySegment.ofArray(bytes)));
            return this;
        }

        /** Sends {@code bytes} cut at {@code cuts} (increasing offsets), one received() per piece. */
        Conn sendCut(byte[] bytes, int... cuts) throws Exception {
            run(() -> {
                int from = 0;
                for (int cut : cuts) {
                    session.received(MemorySegment.ofArray(bytes).asSlice(from, cut - from));
                    from = cut;
                }
                session.received(MemorySegment.ofArray(bytes).asSlice(from));
            });
            return this;
        }

        Conn end() throws Exception {
            run(session::inputEnded);
            return this;
        }

        List<Response> await(int responses) throws Exception {
            SessionHarness.this.await(responses + " responses", () -> transport.responses().size() >= responses);
            return transport.responses().stream().map(Response::parse).toList();
        }

        Response one(String request) throws Exception {
            int before = transport.responses().size();
            send(request);
            return await(before + 1).get(before);
        }

        void awaitClosed() throws Exception {
            SessionHarness.this.await("the connection to close", transport::isClosed);
        }

        boolean closed() {
            return transport.isClosed();
        }
    }
}
