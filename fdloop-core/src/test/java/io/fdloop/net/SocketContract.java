package io.fdloop.net;

import io.fdloop.EventLoop;
import io.fdloop.file.AsyncFile;
import io.fdloop.file.FileOption;
import io.fdloop.internal.linux.PageCacheFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What every socket mechanism must do, over real loopback sockets (127.0.0.1, ::1, Unix sockets).
 * A subclass per mechanism names it; every wait is bounded and asserted, nothing is timed.
 */
abstract class SocketContract {
    static final long TIMEOUT_S = 60;
    /** The backpressure transfer's size; 1 GiB unless {@code -Dfdloop.test.transferMiB} says otherwise. */
    static final long TRANSFER_BYTES = Long.getLong("fdloop.test.transferMiB", 1024) << 20;

    @TempDir
    Path dir;

    EventLoop server;
    EventLoop client;
    Arena arena;

    abstract NetMechanism mechanism();

    Listener.Builder listener() {
        return Listener.builder().mechanism(mechanism());
    }

    Connection.Builder connector() {
        return Connection.builder().mechanism(mechanism());
    }

    @BeforeEach
    void start() throws IOException {
        assumeTrue(mechanism().isAvailable(), () -> mechanism() + " is unavailable here: " + mechanism().unavailabilityCause());
        server = EventLoop.builder().name("server").daemon(true).start();
        client = EventLoop.builder().name("client").daemon(true).start();
        arena = Arena.ofShared();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
            server.close();
            arena.close();
        }
    }

    static InetSocketAddress loopback() {
        return new InetSocketAddress("127.0.0.1", 0);
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    static Throwable failure(CompletableFuture<?> future) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(TIMEOUT_S, TimeUnit.SECONDS));
        return e.getCause();
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    Listener echoServer(SocketAddress address) throws IOException {
        return listener().bind(server, address, connection -> (c, data) -> c.writeCopy(data));
    }

    // ---- echo -------------------------------------------------------------------------------

    @Test
    void shouldEchoRandomBytesExactlyOverAThousandConnections() throws Exception {
        int connections = 1000;
        int size = 16 * 1024;
        try (Listener echo = echoServer(loopback())) {
            List<Received> received = new ArrayList<>();
            List<CompletableFuture<Connection>> connected = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Received r = new Received(size);
                received.add(r);
                connected.add(connector().connect(client, echo.localAddress(), r));
            }
            for (int i = 0; i < connections; i++) {
                Connection c = await(connected.get(i));
                byte[] data = random(size, i);
                // in pieces of random length, some copied and some in place
                Random split = new Random(i);
                int at = 0;
                while (at < size) {
                    int n = Math.min(size - at, 1 + split.nextInt(3000));
                    if (split.nextBoolean()) {
                        c.writeCopy(data, at, n);
                    } else {
                        MemorySegment piece = arena.allocate(n);
                        MemorySegment.copy(data, at, piece, JAVA_BYTE, 0, n);
                        c.write(piece);
                    }
                    at += n;
                }
            }
            for (int i = 0; i < connections; i++) {
                assertArrayEquals(random(size, i), await(received.get(i).all), "connection " + i);
                await(connected.get(i)).close();
            }
            for (Received r : received) {
                assertNull(await(r.closed));
            }
        }
    }

    @Test
    void shouldEchoOverIpv6AndUnixSockets() throws Exception {
        List<SocketAddress> addresses = new ArrayList<>();
        addresses.add(UnixDomainSocketAddress.of(dir.resolve("echo.sock")));
        if (ipv6Loopback()) {
            addresses.add(new InetSocketAddress("::1", 0));
        }
        for (SocketAddress address : addresses) {
            try (Listener echo = echoServer(address)) {
                Received r = new Received(100_000);
                Connection c = await(connector().connect(client, echo.localAddress(), r));
                assertEquals(echo.localAddress(), c.remoteAddress());
                byte[] data = random(100_000, 7);
                c.writeCopy(data);
                assertArrayEquals(data, await(r.all), address.toString());
                c.close();
                assertNull(await(r.closed));
            }
            if (address instanceof UnixDomainSocketAddress unix) {
                assertFalse(Files.exists(unix.getPath()), "the listener deleted its socket file");
            }
        }
    }

    @Test
    void shouldSpreadConnectionsOverTheLoopsOfAGroupWithSoReuseport() throws Exception {
        try (io.fdloop.EventLoopGroup group = io.fdloop.EventLoopGroup.start(2)) {
            java.util.Set<String> acceptingThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            Listener echo = listener().bind(group, loopback(), connection -> {
                acceptingThreads.add(Thread.currentThread().getName());
                return (c, data) -> c.writeCopy(data);
            });
            assertEquals(2, echo.loops().size());
            List<Received> received = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Received r = new Received(1000);
                received.add(r);
                await(connector().connect(client, echo.localAddress(), r)).writeCopy(random(1000, i));
            }
            for (int i = 0; i < 40; i++) {
                assertArrayEquals(random(1000, i), await(received.get(i).all));
            }
            // the kernel hashes each connection to one of the two listeners: all 40 on one has odds 2^-39
            assertEquals(2, acceptingThreads.size(), "accepted on " + acceptingThreads);
            group.close();
            assertFalse(echo.isOpen(), "closing the group closed its listeners");
            for (Received r : received) {
                assertNull(await(r.closed), "closing the group closed its connections gracefully");
            }
        }
    }

    // ---- backpressure --------------------------------------------------------------------------

    @Test
    void shouldTransferWithBackpressureOnBothSides() throws Exception {
        long total = TRANSFER_BYTES;
        int chunk = 256 * 1024;
        MemorySegment pattern = arena.allocate(chunk);
        for (int i = 0; i < chunk; i++) {
            pattern.set(JAVA_BYTE, i, (byte) (i * 31 + (i >>> 9)));
        }
        CRC32C expected = new CRC32C();
        for (long sent = 0; sent < total; sent += chunk) {
            expected.update(pattern.asByteBuffer().limit((int) Math.min(chunk, total - sent)));
        }
        CompletableFuture<Long> receivedCrc = new CompletableFuture<>();
        AtomicLong pauses = new AtomicLong();
        try (Listener sink = listener().bind(server, loopback(), connection -> new ConnectionHandler() {
            final CRC32C crc = new CRC32C();
            long received;

            @Override
            public void onData(Connection c, MemorySegment data) {
                crc.update(data.asByteBuffer());
                received += data.byteSize();
                if (received % (8L << 20) < data.byteSize()) { // now and then the receiver stops reading
                    c.pauseReading();
                    pauses.incrementAndGet();
                    server.schedule(Duration.ofMillis(1), c::resumeReading);
                }
            }

            @Override
            public void onEndOfStream(Connection c) {
                receivedCrc.complete(received == total ? crc.getValue() : -received);
                c.close();
            }
        })) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            AtomicLong unwritable = new AtomicLong();
            ConnectionHandler producer = new ConnectionHandler() {
                @Override
                public void onData(Connection c, MemorySegment data) {
                }

                @Override
                public void onWritabilityChanged(Connection c, boolean writable) {
                    if (writable) {
                        produce(c);
                    } else {
                        unwritable.incrementAndGet();
                    }
                }

                long queued;

                void produce(Connection c) {
                    while (c.isWritable() && queued < total) {
                        long n = Math.min(chunk, total - queued);
                        c.write(pattern.asSlice(0, n));
                        queued += n;
                        assertTrue(c.pendingWriteBytes() < 64L << 20, "the queue stays bounded");
                    }
                    if (queued == total) {
                        queued++;
                        c.shutdownOutput();
                        done.complete(null);
                    }
                }

                @Override
                public void onEndOfStream(Connection c) {
                    c.close();
                }
            };
            Connection c = await(connector().connect(client, sink.localAddress(), producer));
            client.execute(() -> ((ConnectionHandler) producer).onWritabilityChanged(c, true));
            await(done);
            assertEquals(expected.getValue(), receivedCrc.get(600, TimeUnit.SECONDS), "every byte arrived, in order");
            assertTrue(unwritable.get() > 0, "the producer met the high watermark");
            assertTrue(pauses.get() > 0, "the receiver paused");
            await(c.closeFuture());
        }
    }

    // ---- half-close, reset, refused, timeout ------------------------------------------------------

    @Test
    void shouldWriteAfterEndOfStreamAndSeeOwnFinAsTheirs() throws Exception {
        byte[] request = "request".getBytes();
        byte[] response = "response after your FIN".getBytes();
        try (Listener half = listener().bind(server, loopback(), connection -> new ConnectionHandler() {
            @Override
            public void onData(Connection c, MemorySegment data) {
            }

            @Override
            public void onEndOfStream(Connection c) {
                c.writeCopy(response); // the connection can still write
                c.close();
            }
        })) {
            Received r = new Received();
            r.closeOnEndOfStream = false;
            Connection c = await(connector().connect(client, half.localAddress(), r));
            c.writeCopy(request);
            c.shutdownOutput();
            await(r.endOfStream);
            assertArrayEquals(response, r.toByteArray());
            assertThrows(IllegalStateException.class, () -> c.writeCopy(request), "writing after shutdownOutput");
            Throwable refused = failure(c.write(arena.allocate(1)));
            assertInstanceOf(ClosedChannelException.class, refused);
            assertNull(await(r.closed), "both sides done: closed without an error");
            assertEquals(1, r.closeCalls.get());
        }
    }

    @Test
    void shouldReportAPeerResetOnceAndFailPendingWritesWithIt() throws Exception {
        CompletableFuture<Void> gotBytes = new CompletableFuture<>();
        try (Listener resetter = listener().bind(server, loopback(), connection -> (c, data) -> {
            gotBytes.complete(null);
            c.abort();
        })) {
            Received r = new Received();
            Connection c = await(connector().connect(client, resetter.localAddress(), r));
            MemorySegment big = arena.allocate(32 << 20);
            CompletableFuture<Long> pending = c.write(big);
            await(gotBytes);
            Throwable cause = await(r.closed);
            SocketException reset = assertInstanceOf(SocketException.class, cause);
            assertTrue(reset.getMessage().contains(resetter.localAddress().toString().replaceFirst("^[^/]*", "")),
                    reset.getMessage() + " names the peer");
            assertSame(cause, failure(pending), "the pending write failed with the same exception");
            assertEquals(1, r.closeCalls.get(), "reported once");
            assertFalse(c.isOpen());
        }
    }

    @Test
    void shouldRefuseAConnectToAPortNobodyListensOn() throws Exception {
        InetSocketAddress closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = new InetSocketAddress("127.0.0.1", probe.getLocalPort());
        }
        Throwable error = failure(connector().connect(client, closedPort, new Received()));
        ConnectException refused = assertInstanceOf(ConnectException.class, error);
        assertTrue(refused.getMessage().contains("127.0.0.1:" + closedPort.getPort()), refused.getMessage());
    }

    @Test
    void shouldTimeOutAConnectToAListenerWhoseBacklogIsFull() throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", full.getLocalPort());
            List<SocketChannel> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) { // never accepted: the accept queue fills and SYNs are dropped
                    SocketChannel filler = SocketChannel.open();
                    filler.configureBlocking(false);
                    filler.connect(address);
                    fillers.add(filler);
                }
                Throwable error = failure(connector().timeout(Duration.ofMillis(300)).connect(client, address, new Received()));
                SocketTimeoutException timedOut = assertInstanceOf(SocketTimeoutException.class, error);
                assertTrue(timedOut.getMessage().contains("300 ms"), timedOut.getMessage());
            } finally {
                for (SocketChannel filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    // ---- closing with writes pending -----------------------------------------------------------------

    @Test
    void shouldFlushPendingWritesBeforeAGracefulCloseAndFailThemOnAbort() throws Exception {
        int size = 8 << 20;
        MemorySegment data = arena.allocate(size);
        data.fill((byte) 'x');
        CompletableFuture<Connection> accepted = new CompletableFuture<>();
        Received atServer = new Received(size);
        try (Listener slow = listener().bind(server, loopback(), connection -> {
            connection.pauseReading(); // reads nothing until told: the client's writes stay queued
            accepted.complete(connection);
            return atServer;
        })) {
            Received r = new Received();
            Connection c = await(connector().connect(client, slow.localAddress(), r));
            CompletableFuture<Long> write = c.write(data);
            c.close();
            assertFalse(write.isDone(), "8 MiB cannot all be in the kernel while the peer does not read");
            await(accepted).resumeReading();
            assertEquals((long) size, await(write), "the graceful close sent what was queued");
            assertEquals(size, await(atServer.all).length);
            assertNull(await(r.closed));

            Received aborted = new Received();
            Connection second = await(connector().connect(client, slow.localAddress(), aborted));
            CompletableFuture<Long> dropped = second.write(data);
            second.abort();
            assertInstanceOf(AsynchronousCloseException.class, failure(dropped));
            assertNull(await(aborted.closed));
        }
    }

    @Test
    void shouldBoundAGracefulCloseBySoLingerAndFailWhatIsLeft() throws Exception {
        MemorySegment data = arena.allocate(16 << 20);
        try (Listener deaf = listener().bind(server, loopback(), connection -> {
            connection.pauseReading();
            return (c, bytes) -> {
            };
        })) {
            Received r = new Received();
            Connection c = await(connector().option(StandardSocketOptions.SO_LINGER, 1).connect(client,
                    deaf.localAddress(), r));
            assertEquals(1, c.getOption(StandardSocketOptions.SO_LINGER));
            CompletableFuture<Long> write = c.write(data);
            c.close();
            assertInstanceOf(InterruptedByTimeoutException.class, failure(write));
            assertInstanceOf(InterruptedByTimeoutException.class, await(r.closed));
        }
    }

    @Test
    void shouldCloseConnectionsAndListenersWhenTheLoopCloses() throws Exception {
        Listener echo = echoServer(loopback());
        Received r = new Received(5);
        Connection c = await(connector().connect(client, echo.localAddress(), r));
        c.writeCopy("hello".getBytes());
        await(r.all);
        client.close();
        assertNull(await(r.closed), "the loop closed it gracefully");
        assertFalse(c.isOpen());
        assertInstanceOf(ClosedChannelException.class, failure(c.write(arena.allocate(1))));
        server.close();
        assertFalse(echo.isOpen(), "the loop closed its listener");
        Throwable refused = failure(Connection.builder().connect(client, echo.localAddress(), r));
        assertInstanceOf(ClosedChannelException.class, refused);
    }

    @Test
    void shouldFailWhatStaysQueuedWhenTheLoopClosesWithAPeerThatDoesNotRead() throws Exception {
        MemorySegment data = arena.allocate(32 << 20);
        // A close timeout longer than the waits here: the connections' own 5 s bound must end the close,
        // not the loop giving up on requests still in flight.
        EventLoop patient = EventLoop.builder().name("patient").daemon(true).closeTimeout(Duration.ofSeconds(300)).start();
        try (Listener deaf = listener().bind(server, loopback(), connection -> {
            connection.pauseReading();
            return (c, bytes) -> {
            };
        })) {
            Received r = new Received();
            Connection c = await(connector().connect(patient, deaf.localAddress(), r));
            CompletableFuture<Long> write = c.write(data);
            CompletableFuture<Void> closed = CompletableFuture.runAsync(patient::close);
            // the loop lets its connections flush for 5 s, then resets them and fails what is left
            assertInstanceOf(InterruptedByTimeoutException.class, failure(write));
            assertInstanceOf(InterruptedByTimeoutException.class, await(r.closed));
            await(closed);
            assertFalse(c.isOpen());
        } finally {
            patient.close();
        }
    }

    // ---- reading into the caller's buffer ----------------------------------------------------------

    @Test
    void shouldReadIntoTheCallersBufferWhilePausedAndSeeEndOfStreamAsMinusOne() throws Exception {
        try (Listener echo = echoServer(loopback())) {
            Received r = new Received();
            Connection c = await(connector().connect(client, echo.localAddress(), r));
            c.pauseReading();
            MemorySegment dst = arena.allocate(64);
            c.writeCopy("ping".getBytes());
            int n = await(c.read(dst));
            assertEquals("ping", new String(dst.asSlice(0, n).toArray(JAVA_BYTE)));
            assertEquals(0, r.toByteArray().length, "onData saw nothing while paused");
            c.shutdownOutput();
            assertEquals(-1, await(c.read(dst)), "the echo server closed after our FIN");
            c.close();
            await(c.closeFuture());
        }
    }

    // ---- sendFile --------------------------------------------------------------------------------

    @Test
    void shouldSendBufferedDirectAndColdFilesByteExactly() throws Exception {
        byte[] content = random(3 * 1024 * 1024 + 4321, 99);
        Path path = dir.resolve("served.dat");
        Files.write(path, content);
        long position = 4097;
        long count = content.length - position - 1000;
        byte[] expected = Arrays.copyOfRange(content, (int) position, (int) (position + count));
        for (String kind : List.of("buffered", "cold", "direct")) {
            if (kind.equals("cold")) {
                assertEquals(0, PageCacheFixture.drop(path), "posix_fadvise(DONTNEED)");
            }
            FileOption[] options = kind.equals("direct") ? new FileOption[] {FileOption.READ, FileOption.DIRECT}
                    : new FileOption[] {FileOption.READ};
            AsyncFile file;
            try {
                file = AsyncFile.open(server, path, options);
            } catch (IOException e) {
                assumeTrue(!kind.equals("direct"), "O_DIRECT is not supported here: " + e.getMessage());
                throw e;
            }
            byte[] header = ("HTTP/1.1 200 OK\r\nContent-Length: " + count + "\r\n\r\n").getBytes();
            try (file; Listener files = listener().bind(server, loopback(), connection -> {
                connection.writeCopy(header);
                CompletableFuture<Long> sent = connection.sendFile(file, position, count);
                sent.whenComplete((n, error) -> connection.close());
                return (c, data) -> {
                };
            })) {
                Received r = new Received(header.length + count);
                await(connector().connect(client, files.localAddress(), r));
                byte[] got = await(r.all);
                assertArrayEquals(header, Arrays.copyOf(got, header.length), kind);
                assertArrayEquals(expected, Arrays.copyOfRange(got, header.length, got.length), kind + " file, byte-exact");
                assertNull(await(r.closed), kind);
            }
        }
    }

    @Test
    void shouldFailASendFilePastTheEndOfTheFileAndResetTheConnection() throws Exception {
        Path path = dir.resolve("short.dat");
        Files.write(path, random(10_000, 3));
        CompletableFuture<Throwable> sendFailure = new CompletableFuture<>();
        try (AsyncFile file = AsyncFile.open(server, path);
             Listener files = listener().bind(server, loopback(), connection -> {
                 connection.sendFile(file, 0, 20_000).whenComplete((n, error) -> sendFailure.complete(error));
                 return (c, data) -> {
                 };
             })) {
            Received r = new Received();
            await(connector().connect(client, files.localAddress(), r));
            EOFException eof = assertInstanceOf(EOFException.class, await(sendFailure));
            assertTrue(eof.getMessage().contains("short.dat"), eof.getMessage());
            assertInstanceOf(SocketException.class, await(r.closed), "the peer saw a reset");
        }
    }

    // ---- misuse ------------------------------------------------------------------------------------

    @Test
    void shouldRefuseMisuseAtOnceSayingWhatWasWrong() throws Exception {
        try (Listener echo = echoServer(loopback())) {
            BindException inUse = assertThrows(BindException.class, () -> listener().option(StandardSocketOptions.SO_REUSEADDR, false)
                    .bind(server, echo.localAddress(), connection -> (c, data) -> { }));
            assertTrue(inUse.getMessage().contains(echo.localAddress().toString()), inUse.getMessage());

            Received r = new Received();
            Connection c = await(connector().connect(client, echo.localAddress(), r));
            IllegalArgumentException heap = assertInstanceOf(IllegalArgumentException.class,
                    failure(c.write(MemorySegment.ofArray(new byte[8]))));
            assertTrue(heap.getMessage().contains("heap"), heap.getMessage());
            assertInstanceOf(IllegalArgumentException.class, failure(c.write(ByteBuffer.allocate(8))));
            Arena closedArena = Arena.ofConfined();
            MemorySegment gone = closedArena.allocate(8);
            closedArena.close();
            IllegalStateException closedMemory = assertInstanceOf(IllegalStateException.class, failure(c.write(gone)));
            assertTrue(closedMemory.getMessage().contains("arena"), closedMemory.getMessage());
            IllegalStateException offLoop = assertThrows(IllegalStateException.class, c::cork);
            assertTrue(offLoop.getMessage().contains("loop thread"), offLoop.getMessage());
            IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
                    () -> c.setOption((java.net.SocketOption) StandardSocketOptions.TCP_NODELAY, 1));
            assertTrue(wrongType.getMessage().contains("Boolean"), wrongType.getMessage());
            assertThrows(IllegalArgumentException.class, () -> c.setOption(NetOptions.TCP_KEEPCOUNT, 1000));
            assertTrue(c.getOption(StandardSocketOptions.TCP_NODELAY), "TCP_NODELAY is on by default");
            c.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            c.setOption(NetOptions.TCP_KEEPIDLE, 30);
            assertEquals(30, c.getOption(NetOptions.TCP_KEEPIDLE));
            c.close();
            await(c.closeFuture());
            Throwable afterClose = failure(c.write(arena.allocate(8)));
            assertInstanceOf(ClosedChannelException.class, afterClose);
            assertTrue(afterClose.getCause().getMessage().contains("closed"), afterClose.getCause().getMessage());
            assertThrows(IllegalStateException.class, () -> c.writeCopy(new byte[1]));

            try (Listener unix = echoServer(UnixDomainSocketAddress.of(dir.resolve("u.sock")))) {
                Connection u = await(connector().connect(client, unix.localAddress(), new Received()));
                UnsupportedOperationException tcpOnly = assertThrows(UnsupportedOperationException.class,
                        () -> u.setOption(StandardSocketOptions.TCP_NODELAY, true));
                assertTrue(tcpOnly.getMessage().contains("Unix"), tcpOnly.getMessage());
                u.close();
            }
        }
    }

    @Test
    void shouldHoldCorkedWritesUntilUncorkThenSendThemTogether() throws Exception {
        try (Listener echo = echoServer(loopback())) {
            Received r = new Received(12);
            Connection c = await(connector().connect(client, echo.localAddress(), r));
            CompletableFuture<Long> heldBack = new CompletableFuture<>();
            client.execute(() -> {
                c.cork();
                c.writeCopy("head".getBytes());
                c.writeCopy("er++".getBytes());
                // the next task runs after this iteration's flush step, which the cork held back
                client.execute(() -> {
                    heldBack.complete(c.pendingWriteBytes());
                    c.writeCopy("body".getBytes());
                    c.uncork();
                });
            });
            assertEquals(8L, await(heldBack), "nothing left while corked");
            assertArrayEquals("header++body".getBytes(), await(r.all));
            c.close();
        }
    }

    @Test
    void shouldSetAndReadBackTypedOptions() throws Exception {
        try (Listener echo = listener().option(StandardSocketOptions.SO_RCVBUF, 256 * 1024)
                .connectionOption(NetOptions.WRITE_HIGH_WATER_MARK, 1024)
                .bind(server, loopback(), connection -> {
                    assertEquals(1024, uncheckedOption(connection, NetOptions.WRITE_HIGH_WATER_MARK));
                    return (c, data) -> c.writeCopy(data);
                })) {
            Connection c = await(connector().option(NetOptions.TCP_USER_TIMEOUT, 5000)
                    .option(StandardSocketOptions.SO_KEEPALIVE, true).connect(client, echo.localAddress(), new Received()));
            assertEquals(5000, c.getOption(NetOptions.TCP_USER_TIMEOUT));
            assertTrue(c.getOption(StandardSocketOptions.SO_KEEPALIVE));
            c.setOption(NetOptions.TCP_CORK, true);
            assertTrue(c.getOption(NetOptions.TCP_CORK));
            c.setOption(NetOptions.TCP_CORK, false);
            c.setOption(NetOptions.TCP_KEEPINTERVAL, 7);
            c.setOption(NetOptions.TCP_KEEPCOUNT, 3);
            assertEquals(7, c.getOption(NetOptions.TCP_KEEPINTERVAL));
            assertEquals(3, c.getOption(NetOptions.TCP_KEEPCOUNT));
            c.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
            assertTrue(c.getOption(StandardSocketOptions.SO_SNDBUF) >= 64 * 1024, "the kernel doubles what it is given");
            assertEquals(-1, c.getOption(StandardSocketOptions.SO_LINGER), "lingering is off by default");
            c.close();
        }
        if (ipv6Loopback()) {
            try (Listener v6 = listener().option(NetOptions.IPV6_V6ONLY, true).bind(server, new InetSocketAddress("::1", 0),
                    connection -> (c, data) -> { })) {
                assertTrue(((InetSocketAddress) v6.localAddress()).getAddress() instanceof java.net.Inet6Address);
            }
        }
    }

    private static <T> T uncheckedOption(Connection c, java.net.SocketOption<T> option) {
        try {
            return c.getOption(option);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- many idle connections ------------------------------------------------------------------------

    @Test
    void shouldHoldTenThousandIdleConnections() throws Exception {
        int count = 10_000;
        assumeTrue(NofileLimit.current() >= count + 500, () -> "RLIMIT_NOFILE is " + NofileLimit.current()
                + " here; 10,000 connections need " + (count + 500));
        AtomicLong accepted = new AtomicLong();
        AtomicLong closed = new AtomicLong();
        try (Listener idle = listener().bind(server, loopback(), connection -> {
            accepted.incrementAndGet();
            return new ConnectionHandler() {
                @Override
                public void onData(Connection c, MemorySegment data) {
                    c.writeCopy(data);
                }

                @Override
                public void onClosed(Connection c, Throwable cause) {
                    closed.incrementAndGet();
                }
            };
        })) {
            // The clients live in a child process, so that only the server's ends count against this JVM's
            // fd limit (raising the hard limit needs CAP_SYS_RESOURCE, which a container may not grant).
            int port = ((InetSocketAddress) idle.localAddress()).getPort();
            Process clients = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), IdleClients.class.getName(), "127.0.0.1",
                    Integer.toString(port), Integer.toString(count)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(clients.getInputStream()));
                CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                assertEquals("connected " + count, line.get(120, TimeUnit.SECONDS));
                waitUntil(() -> accepted.get() == count, "all " + count + " accepted, was " + accepted);
                Received probe = new Received(4);
                Connection c = await(connector().connect(client, idle.localAddress(), probe));
                c.writeCopy("ping".getBytes());
                assertArrayEquals("ping".getBytes(), await(probe.all), "the loop still serves with 10,000 idle connections");
                c.close();
                clients.getOutputStream().close(); // the child closes its connections and exits
                assertTrue(clients.waitFor(120, TimeUnit.SECONDS), "the client process exited");
                waitUntil(() -> closed.get() == count + 1, "every connection closed after its peer's FIN, was " + closed);
            } finally {
                clients.destroyForcibly();
            }
        }
    }

    static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(10);
        }
    }

    static boolean ipv6Loopback() {
        try (java.nio.channels.ServerSocketChannel probe = java.nio.channels.ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress("::1", 0));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
