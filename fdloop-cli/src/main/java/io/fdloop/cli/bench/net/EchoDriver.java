package io.fdloop.cli.bench.net;

import io.fdloop.cli.bench.proc.ProcFs;
import io.fdloop.cli.bench.proc.ProcessSample;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * The echo load: every connection on one selector thread, one shared direct read buffer,
 * nothing allocated per message. The window opens after the warm-up; messages completing in it
 * are counted and timed, and none is queued after it closes.
 *
 * <p><b>Not thread-safe</b>: runs on the thread that calls {@link #run}.
 */
final class EchoDriver {
    private static final int READ_BUFFER_BYTES = 256 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final long SELECT_TIMEOUT_MS = 100;
    private static final long MAX_LATENCY_NS = TimeUnit.SECONDS.toNanos(60);

    private final LoadOptions options;
    private final PrintStream out;
    private final Histogram latencies = new Histogram(1, MAX_LATENCY_NS, 3);
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final EchoPattern pattern = new EchoPattern(0x5eed_f00dL);
    private final ByteBuffer scratch = pattern.newView();
    private long fromNs;
    private long untilNs;
    private long operations;
    private long bytes;

    EchoDriver(LoadOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    LoadReport run() throws IOException {
        EchoConnection[] connections = new EchoConnection[options.connections()];
        try (Selector selector = Selector.open()) {
            try {
                for (int i = 0; i < connections.length; i++) {
                    connections[i] = connect(i, selector);
                }
                out.println(LoadReport.CONNECTED + " " + connections.length);
                out.flush();
                return drive(selector, connections);
            } finally {
                for (EchoConnection connection : connections) {
                    if (connection != null) {
                        connection.close();
                    }
                }
            }
        }
    }

    /** Whether a message completing at {@code nowNs} is replaced by a new one. */
    boolean sending(long nowNs) {
        return nowNs < untilNs;
    }

    /** A message of {@code size} bytes came back whole at {@code nowNs}, {@code latencyNs} after it was queued. */
    void completed(long latencyNs, int size, long nowNs) {
        if (nowNs >= fromNs && nowNs < untilNs) {
            latencies.recordValue(Math.min(Math.max(1, latencyNs), MAX_LATENCY_NS));
            operations++;
            bytes += size;
        }
    }

    private EchoConnection connect(int id, Selector selector) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(options.server(), CONNECT_TIMEOUT_MS);
            channel.configureBlocking(false);
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            EchoConnection connection = new EchoConnection(id, channel, key, this, pattern, options.size(),
                    options.pipeline());
            key.attach(connection);
            return connection;
        } catch (IOException e) {
            channel.close();
            throw new IOException("connection " + id + " to " + options.server() + ": " + e.getMessage(), e);
        }
    }

    private LoadReport drive(Selector selector, EchoConnection[] connections) throws IOException {
        long startNs = System.nanoTime();
        fromNs = startNs + options.warmupNs();
        untilNs = fromNs + options.runtimeNs();
        for (EchoConnection connection : connections) {
            connection.start(startNs);
        }
        ProcessSample cpuFrom = null;
        if (options.warmupNs() == 0) {
            cpuFrom = windowOpens();
        }
        try {
            while (true) {
                long now = System.nanoTime();
                if (cpuFrom == null && now >= fromNs) {
                    cpuFrom = windowOpens();
                }
                if (now >= untilNs) {
                    break;
                }
                selector.select(this::handle, SELECT_TIMEOUT_MS);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        ProcessSample cpuUntil = ProcFs.sample(ProcessHandle.current().pid());
        out.println(LoadReport.MEASURED);
        out.flush();
        return new LoadReport(operations, untilNs - fromNs, bytes, latencies.getValueAtPercentile(50),
                latencies.getValueAtPercentile(99), latencies.getValueAtPercentile(99.9), latencies.getMaxValue(),
                cpuUntil.cpuNs() - cpuFrom.cpuNs());
    }

    private ProcessSample windowOpens() throws IOException {
        ProcessSample sample = ProcFs.sample(ProcessHandle.current().pid());
        out.println(LoadReport.MEASURING);
        out.flush();
        return sample;
    }

    private void handle(SelectionKey key) {
        EchoConnection connection = (EchoConnection) key.attachment();
        long now = System.nanoTime();
        try {
            if (key.isReadable()) {
                connection.onReadable(readBuffer, scratch, now);
            }
            if (key.isValid() && key.isWritable()) {
                connection.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
