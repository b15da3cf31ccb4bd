package io.fdloop.cli.bench.net;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load generator's checking, counting and protocol, in-process against tiny echo servers on
 * loopback: one faithful, one that corrupts a byte, one that closes early.
 */
class EchoLoadTest {
    private TinyEchoServer server;

    @AfterEach
    void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldFindTheFirstByteThatDiffersFromTheStream() {
        EchoPattern pattern = new EchoPattern(1);
        ByteBuffer scratch = pattern.newView();
        ByteBuffer received = ByteBuffer.allocateDirect(3 * EchoPattern.PERIOD);
        long start = EchoPattern.PERIOD - 10; // runs over the end of the period, twice
        for (int i = 0; i < received.capacity(); i++) {
            received.put(i, pattern.at(start + i));
        }
        assertEquals(-1, pattern.mismatch(received, start, scratch));
        received.put(EchoPattern.PERIOD + 5, (byte) ~received.get(EchoPattern.PERIOD + 5));
        assertEquals(start + EchoPattern.PERIOD + 5, pattern.mismatch(received, start, scratch));
        assertEquals(0, received.position());
        assertEquals(received.capacity(), received.limit());
        assertTrue(pattern.mismatch(received, start + 1, scratch) >= 0, "a stream shifted by one byte mismatches");
    }

    @Test
    void shouldCountEveryEchoedMessageAndTimeIt() throws IOException {
        server = new TinyEchoServer(-1, Long.MAX_VALUE);
        // a window long enough for a round trip on a loaded machine; nothing about its speed is asserted
        LoadOptions options = new LoadOptions(server.address(), 4, 100, 3, 0, TimeUnit.MILLISECONDS.toNanos(1500), 0);
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        LoadReport report = new EchoDriver(options, new PrintStream(lines, true, StandardCharsets.UTF_8)).run();
        assertTrue(report.operations() > 0, report.toString());
        assertEquals(report.operations() * 100, report.bytes());
        assertTrue(report.p50Ns() > 0 && report.p99Ns() >= report.p50Ns() && report.maxNs() >= report.p99Ns(), report.toString());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1500), report.windowNs());
        assertTrue(report.cpuNs() >= 0);
        assertEquals("connected 4\nmeasuring\nmeasured\n", lines.toString(StandardCharsets.UTF_8));
        assertEquals(report, LoadReport.parse(report.format()));
    }

    @Test
    void shouldFailTheRunOnACorruptedByteSayingWhere() throws IOException {
        server = new TinyEchoServer(1000, Long.MAX_VALUE);
        LoadOptions options = new LoadOptions(server.address(), 1, 64, 4, 0, TimeUnit.SECONDS.toNanos(5), 0);
        EchoMismatchException e = assertThrows(EchoMismatchException.class,
                () -> new EchoDriver(options, new PrintStream(OutputStream.nullOutputStream())).run());
        assertTrue(e.getMessage().contains("connection 0 at byte 1000 (message 15, byte 40 of 64)"), e.getMessage());
    }

    @Test
    void shouldFailTheRunWhenTheServerClosesAConnection() throws IOException {
        server = new TinyEchoServer(-1, 640);
        LoadOptions options = new LoadOptions(server.address(), 1, 64, 1, 0, TimeUnit.SECONDS.toNanos(5), 0);
        IOException e = assertThrows(IOException.class,
                () -> new EchoDriver(options, new PrintStream(OutputStream.nullOutputStream())).run());
        assertTrue(e.getMessage().contains("the server closed connection 0 after echoing 640 bytes"), e.getMessage());
    }

    @Test
    void shouldHoldIdleConnectionsUntilToldToClose() throws Exception {
        server = new TinyEchoServer(-1, Long.MAX_VALUE);
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        InputStream commands = new ByteArrayInputStream("\n".getBytes(StandardCharsets.US_ASCII));
        IdleConnections.hold(server.address(), 20, new PrintStream(lines, true, StandardCharsets.UTF_8), commands);
        assertEquals("idle-open 20\n", lines.toString(StandardCharsets.UTF_8));
        assertEquals(20, server.accepted.get());
    }

    @Test
    void shouldRefuseBadLoadArgumentsSayingWhatIsExpected() {
        LoadOptions parsed = LoadOptions.parse(new String[]{"--port", "9", "--connections", "8", "--size", "4096",
                "--pipeline", "16", "--warmup-ms", "100", "--runtime-ms", "2000"});
        assertEquals(parsed, LoadOptions.parse(parsed.toArgs().toArray(String[]::new)));
        assertEquals(16, parsed.pipeline());
        assertMessage("--port must be 1 to 65535", "--connections", "8");
        assertMessage("--pipeline must be 1 to 1024, was 0", "--port", "9", "--pipeline", "0");
        assertMessage("--size must be 1 byte to 16m, was 0", "--port", "9", "--size", "0");
        assertMessage("--connections needs a whole number, was many", "--port", "9", "--connections", "many");
        assertMessage("unknown option --rate", "--port", "9", "--rate", "5");
        assertMessage("--idle needs a value", "--port", "9", "--idle");
        assertThrows(IllegalArgumentException.class, () -> LoadReport.parse("result ops=1"));
        assertThrows(IllegalArgumentException.class, () -> LoadReport.parse("measuring"));
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** A thread-per-connection echo server that can flip one byte of connection 0's stream, or close after N bytes. */
    private static final class TinyEchoServer implements AutoCloseable {
        private final ServerSocket listener;
        private final AtomicInteger accepted = new AtomicInteger();

        TinyEchoServer(long corruptAt, long closeAfter) throws IOException {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Socket socket = listener.accept();
                        int id = accepted.getAndIncrement();
                        Thread.ofVirtual().start(() -> echo(socket, id == 0 ? corruptAt : -1, closeAfter));
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
        }

        InetSocketAddress address() {
            return (InetSocketAddress) listener.getLocalSocketAddress();
        }

        private static void echo(Socket socket, long corruptAt, long closeAfter) {
            try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                byte[] buffer = new byte[8192];
                long offset = 0;
                int n;
                while (offset < closeAfter && (n = in.read(buffer, 0, (int) Math.min(buffer.length, closeAfter - offset))) > 0) {
                    if (corruptAt >= offset && corruptAt < offset + n) {
                        buffer[(int) (corruptAt - offset)] ^= 0x5a;
                    }
                    out.write(buffer, 0, n);
                    offset += n;
                }
                // FIN, then drain: closing with unread input would send a reset instead of the end of stream
                socket.shutdownOutput();
                while (in.read(buffer) > 0) {
                    // discard
                }
            } catch (IOException e) {
                // the load closed its end
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
