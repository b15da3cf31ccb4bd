package io.fdloop.bench;

import io.fdloop.EventLoop;
import io.fdloop.http.ServerOptions;
import io.fdloop.internal.http.HttpSession;
import io.fdloop.internal.http.HttpTransport;
import io.fdloop.internal.http.ServerContext;
import io.fdloop.internal.http.files.FileLookups;
import io.fdloop.internal.http.files.FileResolver;
import io.fdloop.internal.http.files.MimeTypes;
import io.fdloop.internal.http.files.OpenFileCache;
import io.fdloop.internal.http.log.LogTime;
import io.fdloop.internal.http.request.RequestParser;
import io.fdloop.internal.http.response.DateClock;
import io.fdloop.internal.http.response.ResponsePlan;
import io.fdloop.internal.http.response.ResponsePlanner;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * <b>Not thread-safe: JMH runs each benchmark on one thread, which owns its state.</b>
 *
 * <p>The HTTP engine's CPU cost per request, without sockets: {@link #parse} finds and parses one
 * browser-sized request head (325 bytes, nine fields); {@link #session} takes the same request
 * through a whole {@link HttpSession} (parse, target decoding, the open-file cache, the response plan,
 * the session's bookkeeping) for a cached file, with a transport that reports each plan written at
 * once. The baseline {@link #jdkSplit} is what the JDK gives for the parsing part: decode the head
 * into a String and split it into lines and fields.
 *
 * <p>The session runs on a loop driven by the benchmark thread ({@link EventLoop#open()}), so it is
 * on its loop thread as the engine requires.
 *
 * <pre>{@code
 * java -jar fdloop-bench/target/benchmarks.jar HttpEngine -f 1 -wi 2 -i 3 -w 2s -r 3s -prof gc
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class HttpEngine {
    static final byte[] REQUEST = ("GET /hello.txt HTTP/1.1\r\nHost: localhost:8080\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/126.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Connection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    /** A parser, as one connection holds it. */
    @State(Scope.Thread)
    public static class Parser {
        RequestParser parser;

        @Setup(Level.Trial)
        public void setUp() {
            parser = new RequestParser(ServerOptions.builder(Path.of("/")).build());
        }
    }

    /** A session of a server serving one cached 13-byte file, on a loop this thread drives. */
    @State(Scope.Thread)
    public static class Session {
        Path root;
        EventLoop loop;
        ExecutorService lookupThreads;
        HttpSession session;
        MemorySegment request = MemorySegment.ofArray(REQUEST);
        long sent;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            root = Files.createTempDirectory("fdloop-bench-http");
            Files.writeString(root.resolve("hello.txt"), "hello, world\n");
            ServerOptions options = ServerOptions.builder(root).keepAliveRequests(Integer.MAX_VALUE).build();
            loop = EventLoop.open();
            lookupThreads = Executors.newSingleThreadExecutor();
            FileLookups lookups = new FileLookups(loop, lookupThreads, new FileResolver(options, MimeTypes.standard()),
                    new OpenFileCache(100, TimeUnit.DAYS.toNanos(1), System::nanoTime));
            ServerContext context = new ServerContext(options, lookups, new ResponsePlanner(options, DateClock.system(), 1),
                    null, LogTime.system());
            HttpSession[] self = new HttpSession[1];
            HttpTransport transport = new HttpTransport() {
                @Override
                public void send(ResponsePlan plan) {
                    sent++;
                    self[0].sent(plan);
                }

                @Override
                public void pauseReading() {
                }

                @Override
                public void resumeReading() {
                }

                @Override
                public void close() {
                }

                @Override
                public void abort() {
                }
            };
            session = new HttpSession(context, transport, "127.0.0.1");
            self[0] = session;
            session.received(request); // the first lookup runs on the lookup thread
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sent == 0 && System.nanoTime() < deadline) {
                loop.runOnce(Duration.ofMillis(10));
            }
            if (sent == 0) {
                throw new IllegalStateException("the first response never came");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            session.closed();
            lookupThreads.shutdown();
            loop.close();
            try (var files = Files.walk(root)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Benchmark
    public int parse(Parser p) {
        return p.parser.parse(REQUEST, 0, REQUEST.length);
    }

    @Benchmark
    public int jdkSplit() {
        String head = new String(REQUEST, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        int found = 0;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).equalsIgnoreCase("host")) {
                found += lines[i].substring(colon + 1).strip().length();
            }
        }
        return found + lines[0].split(" ").length;
    }

    @Benchmark
    public long session(Session s) {
        s.session.received(s.request);
        return s.sent;
    }
}
