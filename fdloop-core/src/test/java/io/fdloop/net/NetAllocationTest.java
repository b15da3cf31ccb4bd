package io.fdloop.net;

import io.fdloop.EventLoop;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The socket callback paths allocate nothing per message in steady state, on each mechanism: {@code onData}
 * with the loop's read buffer (epoll) or a provided buffer (io_uring), the copying write that echoes it, and
 * the zero-copy write with a reused handler. A server
 * and its clients share one loop, so every byte of both sides' work lands on the thread measured, with
 * the JVM's per-thread allocation counter (bytes, not time). The quietest of several windows is the steady
 * state: a one-off (a method handle linked, a table grown) can land in any one window.
 */
class NetAllocationTest {
    private static final int CONNECTIONS = 16, MESSAGE = 64;
    private static final long WARM_UP = 150_000, WINDOW = 50_000, WINDOWS = 5;

    @ParameterizedTest
    @EnumSource(value = NetMechanism.class, names = {"EPOLL", "URING"})
    void shouldAllocateNothingPerMessageOnTheCallbackPaths(NetMechanism mechanism) throws Exception {
        assumeTrue(mechanism.isAvailable(), () -> mechanism + " is unavailable here: " + mechanism.unavailabilityCause());
        try (EventLoop loop = EventLoop.builder().name("alloc").daemon(true).start();
             Arena arena = Arena.ofShared();
             Listener echo = Listener.builder().mechanism(mechanism).bind(loop, new InetSocketAddress("127.0.0.1", 0),
                     connection -> (c, data) -> c.writeCopy(data))) {
            CompletableFuture<Long> quietestWindow = new CompletableFuture<>();
            Meter meter = new Meter(quietestWindow);
            TransferHandler<Meter> written = new TransferHandler<>() {
                @Override
                public void completed(long bytes, Meter m) {
                }

                @Override
                public void failed(Throwable error, Meter m) {
                    m.result.completeExceptionally(error);
                }
            };
            List<CompletableFuture<Connection>> clients = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                MemorySegment message = arena.allocate(MESSAGE);
                message.fill((byte) i);
                clients.add(Connection.builder().mechanism(mechanism).connect(loop, echo.localAddress(), new ConnectionHandler() {
                    private long received;
                    private long sent = 1;

                    @Override
                    public void onData(Connection c, MemorySegment data) {
                        received += data.byteSize();
                        while (received >= sent * MESSAGE) { // one whole message came back: send the next
                            if (!meter.counted()) {
                                return;
                            }
                            if ((sent & 1) == 0) {
                                c.write(message, meter, written); // zero copy, reused handler
                            } else {
                                c.writeCopy(message);
                            }
                            sent++;
                        }
                    }
                }));
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                Connection c = clients.get(i).get(30, TimeUnit.SECONDS);
                c.writeCopy(new byte[MESSAGE]);
            }
            long allocated = quietestWindow.get(300, TimeUnit.SECONDS);
            double perMessage = (double) allocated / WINDOW;
            assertTrue(perMessage < 0.5, mechanism + ": the quietest window allocated " + allocated + " bytes in " + WINDOW
                    + " echoed messages (" + perMessage + " per message)");
        }
    }

    /** Counts messages on the loop thread and measures the allocation of each window. */
    private static final class Meter {
        final CompletableFuture<Long> result;
        private long done;
        private long windowStart;
        private long quietest = Long.MAX_VALUE;

        Meter(CompletableFuture<Long> result) {
            this.result = result;
        }

        /** One message completed; false once the measurement is over. */
        boolean counted() {
            if (result.isDone()) {
                return false;
            }
            done++;
            if (done >= WARM_UP && (done - WARM_UP) % WINDOW == 0) {
                long now = allocatedBytes();
                if (done > WARM_UP) {
                    quietest = Math.min(quietest, now - windowStart);
                }
                windowStart = now;
                if (done >= WARM_UP + WINDOW * WINDOWS) {
                    result.complete(quietest);
                    return false;
                }
            }
            return true;
        }

        private static long allocatedBytes() {
            return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
        }
    }
}
