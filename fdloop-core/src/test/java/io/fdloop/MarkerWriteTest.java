package io.fdloop;

import io.fdloop.internal.linux.ForwardingSyscalls;
import io.fdloop.internal.linux.Msghdr;
import io.fdloop.internal.linux.Sockets;
import io.fdloop.internal.linux.Syscalls;
import io.fdloop.internal.loop.LoopBuilder;
import io.fdloop.net.Connection;
import io.fdloop.net.Listener;
import io.fdloop.net.NetMechanism;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A zero-length write is a marker: it completes once everything queued before it is in the kernel, and it
 * must not make the bytes before it leave with {@code MSG_MORE} (which would hold a stream's last bytes
 * back until the kernel's probe timer). Seen through the syscall seam on epoll.
 */
class MarkerWriteTest {
    private static final long TIMEOUT_S = 60;

    @Test
    void shouldCompleteAZeroLengthWriteAfterTheBytesBeforeItWithoutHoldingThemBack() throws Exception {
        List<long[]> sends = new CopyOnWriteArrayList<>(); // {bytes, flags}
        Syscalls recording = new ForwardingSyscalls() {
            @Override
            public long sendmsg(int fd, long msghdr, int flags) {
                MemorySegment header = MemorySegment.ofAddress(msghdr).reinterpret(Msghdr.SIZE);
                long count = header.get(JAVA_LONG, Msghdr.IOV_LENGTH);
                MemorySegment iovecs = MemorySegment.ofAddress(header.get(JAVA_LONG, Msghdr.IOV))
                        .reinterpret(count * Msghdr.IOVEC_SIZE);
                long bytes = 0;
                for (int i = 0; i < count; i++) {
                    bytes += iovecs.get(JAVA_LONG, i * Msghdr.IOVEC_SIZE + Msghdr.IOVEC_LENGTH);
                }
                sends.add(new long[] {bytes, flags});
                return kernel.sendmsg(fd, msghdr, flags);
            }
        };
        CompletableFuture<Long> marker = new CompletableFuture<>();
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        try (EventLoop server = new LoopBuilder().name("markers").daemon(true).syscalls(recording).start();
             Listener listener = Listener.builder().mechanism(NetMechanism.EPOLL)
                     .bind(server, new InetSocketAddress("127.0.0.1", 0), connection -> {
                         connection.writeCopy(hello);
                         connection.write(MemorySegment.NULL).whenComplete((n, e) -> {
                             if (e != null) {
                                 marker.completeExceptionally(e);
                             } else {
                                 marker.complete(n);
                             }
                         });
                         return (c, data) -> { };
                     });
             Socket client = new Socket()) {
            client.connect(listener.localAddress());
            client.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_S));
            InputStream in = client.getInputStream();
            assertEquals("hello", new String(in.readNBytes(hello.length), StandardCharsets.US_ASCII));
            assertEquals(0L, marker.get(TIMEOUT_S, TimeUnit.SECONDS));
        }
        long[] first = sends.getFirst();
        assertEquals(hello.length, first[0], "the bytes left in one sendmsg");
        assertFalse((first[1] & Sockets.MSG_MORE) != 0, "without MSG_MORE: nothing follows them but the marker");
    }
}
