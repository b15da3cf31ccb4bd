package io.fdloop.net;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A handler that keeps what arrives and records the connection's events, for tests to wait on.
 */
class Received implements ConnectionHandler {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CompletableFuture<Void> endOfStream = new CompletableFuture<>();
    final CompletableFuture<Throwable> closed = new CompletableFuture<>();
    final AtomicInteger closeCalls = new AtomicInteger();
    final AtomicInteger writabilityChanges = new AtomicInteger();
    private final long expected;
    final CompletableFuture<byte[]> all = new CompletableFuture<>();
    volatile boolean closeOnEndOfStream = true;

    Received() {
        this(-1);
    }

    /** Completes {@link #all} once {@code expected} bytes arrived. */
    Received(long expected) {
        this.expected = expected;
    }

    @Override
    public synchronized void onData(Connection connection, MemorySegment data) {
        bytes.writeBytes(data.toArray(JAVA_BYTE));
        if (expected >= 0 && bytes.size() >= expected) {
            all.complete(bytes.toByteArray());
        }
    }

    @Override
    public void onEndOfStream(Connection connection) {
        endOfStream.complete(null);
        if (closeOnEndOfStream) {
            connection.close();
        }
    }

    @Override
    public void onWritabilityChanged(Connection connection, boolean writable) {
        writabilityChanges.incrementAndGet();
    }

    @Override
    public void onClosed(Connection connection, Throwable cause) {
        closeCalls.incrementAndGet();
        closed.complete(cause);
    }

    synchronized byte[] toByteArray() {
        return bytes.toByteArray();
    }
}
