package io.fdloop;

import io.fdloop.internal.loop.LoopBuilder;
import io.fdloop.file.AsyncFile;
import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.CompletionRewriter;
import io.fdloop.internal.linux.ForwardingSyscalls;
import io.fdloop.internal.linux.IoUringLayout;
import io.fdloop.internal.linux.Msghdr;
import io.fdloop.internal.linux.PageCache;
import io.fdloop.internal.linux.PageCacheFixture;
import io.fdloop.internal.linux.Syscalls;
import io.fdloop.net.Connection;
import io.fdloop.net.ConnectionHandler;
import io.fdloop.net.Listener;
import io.fdloop.net.NetMechanism;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Socket faults the kernel will not produce on demand, injected through the syscall seam in front of
 * the real kernel on the server's loop: every byte must still arrive, in order, and a reset must be
 * reported once. The epoll mechanism's faults are its system calls' results; io_uring's are
 * {@code io_uring_enter}'s and a completion's {@code res}, rewritten in the completion queue the
 * kernel shares with the loop.
 */
class NetFaultInjectionTest {
    private static final long TIMEOUT_S = 60;
    private static final int CONNECTIONS = 40, SIZE = 64 * 1024;
    private static final Listener.Builder EPOLL = Listener.builder().mechanism(NetMechanism.EPOLL);
    private static final Listener.Builder URING = Listener.builder().mechanism(NetMechanism.URING);

    @TempDir
    Path dir;

    @Test
    void shouldSendEverythingDespiteEagainAndPartialSendmsg() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Syscalls faulty = new ForwardingSyscalls() {
            @Override
            public long sendmsg(int fd, long msghdr, int flags) {
                int call = calls.incrementAndGet();
                if (call % 2 == 0) {
                    return -Errno.EAGAIN; // the socket "is full": the loop must wait for EPOLLOUT
                }
                // The kernel takes at most 7 bytes of the first buffer.
                MemorySegment header = MemorySegment.ofAddress(msghdr).reinterpret(Msghdr.SIZE);
                MemorySegment iovec = MemorySegment.ofAddress(header.get(JAVA_LONG, Msghdr.IOV)).reinterpret(Msghdr.IOVEC_SIZE);
                header.set(JAVA_LONG, Msghdr.IOV_LENGTH, 1);
                iovec.set(JAVA_LONG, Msghdr.IOVEC_LENGTH, Math.min(7, iovec.get(JAVA_LONG, Msghdr.IOVEC_LENGTH)));
                return kernel.sendmsg(fd, msghdr, flags);
            }
        };
        assertEchoIsExact(faulty, 4 * 1024);
        assertTrue(calls.get() > 2 * 4 * 1024 / 7, "writes were split: " + calls.get() + " sendmsg calls");
    }

    @Test
    void shouldRetryAfterEintrOnRecvSendmsgAndAccept() throws Exception {
        AtomicInteger recvs = new AtomicInteger();
        AtomicInteger sends = new AtomicInteger();
        AtomicInteger accepts = new AtomicInteger();
        Syscalls faulty = new ForwardingSyscalls() {
            @Override
            public long recv(int fd, long address, long length, int flags) {
                return recvs.incrementAndGet() % 3 == 1 ? -Errno.EINTR : kernel.recv(fd, address, length, flags);
            }

            @Override
            public long sendmsg(int fd, long msghdr, int flags) {
                return sends.incrementAndGet() % 3 == 1 ? -Errno.EINTR : kernel.sendmsg(fd, msghdr, flags);
            }

            @Override
            public int accept4(int fd, MemorySegment address, MemorySegment addressLength, int flags) {
                return accepts.incrementAndGet() % 3 == 1 ? -Errno.EINTR : kernel.accept4(fd, address, addressLength, flags);
            }
        };
        assertEchoIsExact(faulty, SIZE);
        assertTrue(recvs.get() > 3 && sends.get() > 3 && accepts.get() > CONNECTIONS, "the faults were injected");
    }

    @Test
    void shouldReportAnInjectedResetOnceNamingThePeer() throws Exception {
        AtomicInteger recvs = new AtomicInteger();
        Syscalls faulty = new ForwardingSyscalls() {
            @Override
            public long recv(int fd, long address, long length, int flags) {
                return recvs.incrementAndGet() == 1 ? -Errno.ECONNRESET : kernel.recv(fd, address, length, flags);
            }
        };
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        AtomicInteger closes = new AtomicInteger();
        try (EventLoop server = new LoopBuilder().name("faulty").daemon(true).syscalls(faulty).start();
             EventLoop client = EventLoop.builder().name("client").daemon(true).start();
             Listener listener = EPOLL.bind(server, new InetSocketAddress("127.0.0.1", 0), connection -> new ConnectionHandler() {
                 @Override
                 public void onData(Connection c, MemorySegment data) {
                 }

                 @Override
                 public void onClosed(Connection c, Throwable cause) {
                     closes.incrementAndGet();
                     closed.complete(cause);
                 }
             })) {
            Connection c = Connection.connect(client, listener.localAddress(), (conn, data) -> { }).get(TIMEOUT_S, TimeUnit.SECONDS);
            c.writeCopy("hello".getBytes());
            SocketException reset = assertInstanceOf(SocketException.class, closed.get(TIMEOUT_S, TimeUnit.SECONDS));
            assertTrue(reset.getMessage().contains("connection reset by peer /127.0.0.1:"
                    + ((InetSocketAddress) c.localAddress()).getPort()), reset.getMessage());
            c.closeFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
            assertEquals(1, closes.get(), "reported once");
        }
    }

    @Test
    void shouldEchoEverythingDespiteEagainAndEbusyFromIoUringEnter() throws Exception {
        assumeTrue(NetMechanism.URING.isAvailable(), () -> "io_uring cannot serve sockets here: "
                + NetMechanism.URING.unavailabilityCause());
        AtomicInteger enters = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Syscalls faulty = new ForwardingSyscalls() {
            @Override
            public int ioUringEnter(int fd, int toSubmit, int minComplete, int flags) {
                int call = enters.incrementAndGet();
                if (toSubmit > 0 && call % 3 != 0) {
                    refused.incrementAndGet();
                    return call % 3 == 1 ? -Errno.EAGAIN : -Errno.EBUSY; // nothing consumed: the loop must retry
                }
                return kernel.ioUringEnter(fd, toSubmit, minComplete, flags);
            }
        };
        assertEchoIsExact(URING, faulty, SIZE);
        assertTrue(refused.get() > 10, "io_uring_enter was refused " + refused.get() + " times");
    }

    @Test
    void shouldReportAResetCompletionOnceNamingThePeerAndFailWhatIsQueued() throws Exception {
        assumeTrue(NetMechanism.URING.isAvailable(), () -> "io_uring cannot serve sockets here: "
                + NetMechanism.URING.unavailabilityCause());
        CompletionRewriter faulty = new CompletionRewriter(IoUringLayout.CQE_F_BUFFER, -Errno.ECONNRESET);
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        CompletableFuture<Throwable> queuedWrite = new CompletableFuture<>();
        AtomicInteger closes = new AtomicInteger();
        try (EventLoop server = new LoopBuilder().name("faulty").daemon(true).syscalls(faulty).start();
             EventLoop client = EventLoop.builder().name("client").daemon(true).start();
             Listener listener = URING.bind(server, new InetSocketAddress("127.0.0.1", 0), connection -> {
                 // 16 MiB the client does not read stay queued: the reset must fail them
                 connection.write(java.lang.foreign.Arena.ofAuto().allocate(16 << 20))
                         .whenComplete((n, error) -> queuedWrite.complete(error));
                 return new ConnectionHandler() {
                     @Override
                     public void onData(Connection c, MemorySegment data) {
                     }

                     @Override
                     public void onClosed(Connection c, Throwable cause) {
                         closes.incrementAndGet();
                         closed.complete(cause);
                     }
                 };
             })) {
            Connection c = Connection.builder().mechanism(NetMechanism.EPOLL)
                    .connect(client, listener.localAddress(), (conn, data) -> { }).get(TIMEOUT_S, TimeUnit.SECONDS);
            c.pauseReading(); // the 16 MiB stay queued at the server
            // The kernel may post a completion between the rewriter's look and the loop's reap (task work
            // runs on the way out of any system call): the client sends until one was caught.
            io.fdloop.Timer sending = client.scheduleAtFixedRate(java.time.Duration.ZERO, java.time.Duration.ofMillis(5), () -> {
                if (c.isOpen()) {
                    c.writeCopy("hello".getBytes());
                }
            });
            SocketException reset = assertInstanceOf(SocketException.class, closed.get(TIMEOUT_S, TimeUnit.SECONDS));
            assertTrue(reset.getMessage().contains("connection reset by peer /127.0.0.1:"
                    + ((InetSocketAddress) c.localAddress()).getPort()), reset.getMessage());
            assertSame(reset, queuedWrite.get(TIMEOUT_S, TimeUnit.SECONDS), "the queued write failed with the reset");
            assertEquals(1, faulty.rewritten(), "one completion was rewritten");
            c.closeFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
            sending.cancel();
            assertEquals(1, closes.get(), "reported once");
        }
    }

    @Test
    void shouldSendFileRangesBySendfileOnlyWhenCachestatFoundThemResident() throws Exception {
        AtomicInteger sendfiles = new AtomicInteger();
        AtomicInteger notResident = new AtomicInteger();
        AtomicInteger unchecked = new AtomicInteger();
        AtomicInteger nowaitReads = new AtomicInteger();
        boolean[] hideCachestat = {false};
        long[] residentRange = {-1, -1};
        Syscalls counting = new ForwardingSyscalls() {
            @Override
            public int cachestat(int fd, MemorySegment range, MemorySegment stat, int flags) {
                if (hideCachestat[0]) {
                    return -Errno.ENOSYS;
                }
                int r = kernel.cachestat(fd, range, stat, flags);
                long offset = range.get(JAVA_LONG, PageCache.RANGE_OFF);
                long length = range.get(JAVA_LONG, PageCache.RANGE_LEN);
                long pages = (offset + length - 1) / PageCache.PAGE_SIZE - offset / PageCache.PAGE_SIZE + 1;
                if (r == 0 && stat.get(JAVA_LONG, PageCache.NR_CACHE) >= pages) {
                    residentRange[0] = offset;
                    residentRange[1] = offset + length;
                } else {
                    notResident.incrementAndGet();
                    residentRange[0] = residentRange[1] = -1;
                }
                return r;
            }

            @Override
            public long sendfile(int outFd, int inFd, long offsetPointer, long count) {
                sendfiles.incrementAndGet();
                long offset = MemorySegment.ofAddress(offsetPointer).reinterpret(8).get(JAVA_LONG, 0);
                if (offset < residentRange[0] || offset + count > residentRange[1]) {
                    unchecked.incrementAndGet(); // sendfile on a range not known resident could block the loop
                }
                return kernel.sendfile(outFd, inFd, offsetPointer, count);
            }

            @Override
            public long preadv2(int fd, long iov, int iovCount, long offset, int flags) {
                nowaitReads.incrementAndGet();
                return kernel.preadv2(fd, iov, iovCount, offset, flags);
            }
        };
        byte[] content = new byte[3 * 1024 * 1024 + 123];
        new Random(5).nextBytes(content);
        Path path = dir.resolve("file.dat");
        Files.write(path, content);
        try (EventLoop server = new LoopBuilder().name("files").daemon(true).syscalls(counting).start();
             EventLoop client = EventLoop.builder().name("client").daemon(true).start();
             AsyncFile file = AsyncFile.open(server, path);
             Listener listener = EPOLL.bind(server, new InetSocketAddress("127.0.0.1", 0), connection -> {
                 connection.sendFile(file, 0, content.length).whenComplete((n, e) -> connection.close());
                 return (c, data) -> { };
             })) {
            assertArrayEquals(content, fetch(client, listener), "hot");
            assertTrue(sendfiles.get() > 0, "a file in the page cache goes by sendfile(2)");
            assertEquals(0, notResident.get(), "all of it was resident");

            assertEquals(0, PageCacheFixture.drop(path));
            assertArrayEquals(content, fetch(client, listener), "cold");
            assertTrue(notResident.get() > 0, "cachestat saw the dropped pages missing, and the range was read first");

            hideCachestat[0] = true; // a kernel before 6.5
            int before = sendfiles.get();
            assertEquals(0, PageCacheFixture.drop(path));
            assertArrayEquals(content, fetch(client, listener), "without cachestat");
            assertTrue(nowaitReads.get() > 0, "preadv2(RWF_NOWAIT) took the resident part");
            assertEquals(before, sendfiles.get(), "without cachestat nothing goes by sendfile(2)");
            assertEquals(0, unchecked.get(), "sendfile(2) only ever ran on a range cachestat had just found resident");
        }
    }

    @Test
    void shouldPauseAcceptingWhileOutOfFdsInsteadOfSpinning() throws Exception {
        AtomicInteger accepts = new AtomicInteger();
        long[] emfileUntil = {Long.MAX_VALUE};
        Syscalls faulty = new ForwardingSyscalls() {
            @Override
            public int accept4(int fd, MemorySegment address, MemorySegment addressLength, int flags) {
                accepts.incrementAndGet();
                if (System.nanoTime() < emfileUntil[0]) {
                    return -Errno.EMFILE; // the process is out of fds for the next 500 ms
                }
                return kernel.accept4(fd, address, addressLength, flags);
            }
        };
        try (EventLoop server = new LoopBuilder().name("out-of-fds").daemon(true).syscalls(faulty).start();
             EventLoop client = EventLoop.builder().name("client").daemon(true).start();
             Listener echo = EPOLL.bind(server, new InetSocketAddress("127.0.0.1", 0),
                     connection -> (c, data) -> c.writeCopy(data))) {
            emfileUntil[0] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            CompletableFuture<byte[]> echoed = new CompletableFuture<>();
            Connection c = Connection.connect(client, echo.localAddress(), (conn, data) -> echoed.complete(
                    data.toArray(JAVA_BYTE))).get(TIMEOUT_S, TimeUnit.SECONDS); // the handshake needs no accept
            c.writeCopy("late".getBytes());
            assertArrayEquals("late".getBytes(), echoed.get(TIMEOUT_S, TimeUnit.SECONDS), "accepted once fds were back");
            // 500 ms of EMFILE at one retry per 100 ms pause: a handful of calls, not a spin.
            assertTrue(accepts.get() < 30, accepts.get() + " accept4 calls");
        }
    }

    private static byte[] fetch(EventLoop client, Listener listener) throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        Connection.connect(client, listener.localAddress(), new ConnectionHandler() {
            @Override
            public void onData(Connection c, MemorySegment data) {
                received.writeBytes(data.toArray(JAVA_BYTE));
            }

            @Override
            public void onClosed(Connection c, Throwable cause) {
                closed.complete(cause);
            }
        }).get(TIMEOUT_S, TimeUnit.SECONDS);
        assertEquals(null, closed.get(TIMEOUT_S, TimeUnit.SECONDS));
        return received.toByteArray();
    }

    /** Echo through an epoll server on {@code syscalls}: every connection gets back exactly what it sent. */
    private static void assertEchoIsExact(Syscalls syscalls, int size) throws Exception {
        assertEchoIsExact(EPOLL, syscalls, size);
    }

    /** Echo through a server on {@code syscalls}: every connection gets back exactly what it sent. */
    private static void assertEchoIsExact(Listener.Builder listener, Syscalls syscalls, int size) throws Exception {
        try (EventLoop server = new LoopBuilder().name("faulty").daemon(true).syscalls(syscalls).start();
             EventLoop client = EventLoop.builder().name("client").daemon(true).start();
             Listener echo = listener.bind(server, new InetSocketAddress("127.0.0.1", 0),
                     connection -> (c, data) -> c.writeCopy(data))) {
            List<CompletableFuture<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                byte[] sent = new byte[size];
                new Random(i).nextBytes(sent);
                CompletableFuture<byte[]> result = new CompletableFuture<>();
                results.add(result);
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                Connection c = Connection.connect(client, echo.localAddress(), (conn, data) -> {
                    received.writeBytes(data.toArray(JAVA_BYTE));
                    if (received.size() >= size) {
                        result.complete(received.toByteArray());
                        conn.close();
                    }
                }).get(TIMEOUT_S, TimeUnit.SECONDS);
                c.writeCopy(sent);
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                byte[] sent = new byte[size];
                new Random(i).nextBytes(sent);
                assertTrue(Arrays.equals(sent, results.get(i).get(TIMEOUT_S, TimeUnit.SECONDS)), "connection " + i);
            }
        }
    }
}
