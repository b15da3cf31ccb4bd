package io.fdloop.cli.bench.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One load connection: keeps {@code pipeline} messages in flight, checks every byte that comes
 * back against the {@link EchoPattern} stream, and times each message from the moment it is
 * queued to the moment its last byte is back. Nothing is allocated per message.
 *
 * <p>The connection's stream starts at {@code base}; {@code sent} and {@code received} are
 * stream offsets, message {@code k} is the bytes {@code [base + k*size, base + (k+1)*size)}.
 *
 * <p><b>Not thread-safe</b>: the load thread only.
 */
final class EchoConnection {
    private final int id;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final EchoDriver driver;
    private final EchoPattern pattern;
    private final ByteBuffer writeView;
    private final int size;
    private final int pipeline;
    private final long base;
    /** When each message in flight was queued, by message number modulo {@code pipeline}. */
    private final long[] queuedAtNs;
    private long queued;
    private long completed;
    private long sent;
    private long received;
    private long unsentBytes;
    private boolean writeInterest;

    EchoConnection(int id, SocketChannel channel, SelectionKey key, EchoDriver driver, EchoPattern pattern, int size,
                   int pipeline) {
        this.id = id;
        this.channel = channel;
        this.key = key;
        this.driver = driver;
        this.pattern = pattern;
        this.writeView = pattern.newView();
        this.size = size;
        this.pipeline = pipeline;
        this.base = (long) id * 7919 % EchoPattern.PERIOD;
        this.sent = base;
        this.received = base;
        this.queuedAtNs = new long[pipeline];
    }

    /** Queues the first {@code pipeline} messages and starts sending them. */
    void start(long nowNs) throws IOException {
        for (int i = 0; i < pipeline; i++) {
            queue(nowNs);
        }
        flush();
    }

    /** Reads what is there, checks it, completes the messages it finishes and queues their successors. */
    void onReadable(ByteBuffer readBuffer, ByteBuffer scratch, long nowNs) throws IOException {
        while (true) {
            readBuffer.clear();
            int n = channel.read(readBuffer);
            if (n < 0) {
                throw new IOException("the server closed connection " + id + " after echoing " + (received - base)
                        + " bytes, with " + (queued - completed) + " messages in flight");
            }
            if (n == 0) {
                break;
            }
            readBuffer.flip();
            long differs = pattern.mismatch(readBuffer, received, scratch);
            if (differs >= 0) {
                int index = readBuffer.position() + (int) (differs - received);
                throw new EchoMismatchException(id, differs - base, pattern.at(differs), readBuffer.get(index), size);
            }
            received += n;
            long done = (received - base) / size;
            while (completed < done) {
                long queuedAt = queuedAtNs[(int) (completed % pipeline)];
                completed++;
                driver.completed(nowNs - queuedAt, size, nowNs);
                if (driver.sending(nowNs)) {
                    queue(nowNs);
                }
            }
            if (n < readBuffer.capacity()) {
                break;
            }
        }
        flush();
    }

    /** Sends what is queued; waits for writability when the socket takes only part of it. */
    void flush() throws IOException {
        while (unsentBytes > 0) {
            EchoPattern.select(writeView, sent, unsentBytes);
            int length = writeView.remaining();
            int n = channel.write(writeView);
            sent += n;
            unsentBytes -= n;
            if (n < length) {
                if (!writeInterest) {
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    writeInterest = true;
                }
                return;
            }
        }
        if (writeInterest) {
            key.interestOps(SelectionKey.OP_READ);
            writeInterest = false;
        }
    }

    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a loopback socket at the end of a run: nothing to report
        }
    }

    private void queue(long nowNs) {
        queuedAtNs[(int) (queued % pipeline)] = nowNs;
        queued++;
        unsentBytes += size;
    }
}
