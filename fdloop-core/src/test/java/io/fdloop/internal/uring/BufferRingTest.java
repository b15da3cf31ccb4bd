package io.fdloop.internal.uring;

import io.fdloop.EventLoop;
import io.fdloop.internal.linux.IoUringLayout;
import io.fdloop.internal.linux.Sockets;
import io.fdloop.internal.linux.Syscalls;
import io.fdloop.internal.loop.Loops;
import io.fdloop.net.NetMechanism;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.fdloop.internal.linux.IoUringLayout.CQE_F_BUFFER;
import static io.fdloop.internal.linux.IoUringLayout.CQE_F_MORE;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A provided buffer ring on a loop's ring, against the running kernel: a multishot receive fills its
 * buffers one receive each, keeps going while buffers come back (the tail wraps), and ends with
 * {@code ENOBUFS} when none do; the completions name the buffers, and the loop's ring accounts for a
 * multishot request that ends.
 */
class BufferRingTest {
    private static final int GROUP = 5, BUFFERS = 4, SIZE = 64;

    @Test
    void shouldReceiveIntoProvidedBuffersUntilNoneComeBack() throws Exception {
        assumeTrue(NetMechanism.URING.isAvailable(), () -> "io_uring cannot serve sockets here: "
                + NetMechanism.URING.unavailabilityCause());
        Syscalls sys = Syscalls.linux();
        try (EventLoop loop = EventLoop.builder().name("buffers").daemon(true).start(); Arena arena = Arena.ofConfined()) {
            MemorySegment pair = arena.allocate(JAVA_INT, 2);
            assertEquals(0, sys.socketpair(Sockets.AF_UNIX, Sockets.SOCK_STREAM | Sockets.SOCK_CLOEXEC, 0, pair));
            int reader = pair.getAtIndex(JAVA_INT, 0);
            int writer = pair.getAtIndex(JAVA_INT, 1);
            try {
                Receiver receiver = new Receiver(reader);
                start(loop, receiver);
                // Ten messages, one at a time: each takes a buffer, which goes back after it is read.
                for (int i = 0; i < 10; i++) {
                    send(sys, arena, writer, "message " + i);
                    assertEquals("message " + i, receiver.next.take());
                }
                assertTrue(receiver.bufferIds.stream().allMatch(bid -> bid >= 0 && bid < BUFFERS), receiver.bufferIds.toString());
                assertEquals(BUFFERS, receiver.bufferIds.stream().distinct().count(), "every buffer served, the tail wrapped");
                assertTrue(receiver.allHadMore, "a multishot receive's completions say more will come");
                // Now the buffers stay taken: the fifth receive finds none and the request ends.
                CompletableFuture<Void> holding = new CompletableFuture<>();
                loop.execute(() -> {
                    receiver.recycle = false;
                    holding.complete(null);
                });
                holding.get(30, TimeUnit.SECONDS); // before the next message, or its buffer would go back
                for (int i = 0; i < BUFFERS; i++) {
                    send(sys, arena, writer, "held " + i);
                    assertEquals("held " + i, receiver.next.take());
                }
                send(sys, arena, writer, "no buffer");
                assertEquals(-io.fdloop.internal.linux.Errno.ENOBUFS, (int) receiver.ended.get(30, TimeUnit.SECONDS));
                CompletableFuture<Boolean> idle = new CompletableFuture<>();
                loop.execute(() -> idle.complete(!receiver.ring.busy()));
                assertTrue(idle.get(30, TimeUnit.SECONDS), "the ended multishot request is no longer in flight");
                CompletableFuture<Boolean> cached = new CompletableFuture<>();
                loop.execute(() -> cached.complete(receiver.buffers.view(1, 7) == receiver.buffers.view(1, 7)));
                assertTrue(cached.get(30, TimeUnit.SECONDS), "a view of the same buffer and length is made once");
            } finally {
                sys.close(reader);
                sys.close(writer);
            }
        }
    }

    @Test
    void shouldGrowWhenAReceiveFindsItEmpty() throws Exception {
        assumeTrue(NetMechanism.URING.isAvailable(), () -> "io_uring cannot serve sockets here: "
                + NetMechanism.URING.unavailabilityCause());
        Syscalls sys = Syscalls.linux();
        try (EventLoop loop = EventLoop.builder().name("growing").daemon(true).start(); Arena arena = Arena.ofConfined()) {
            MemorySegment pair = arena.allocate(JAVA_INT, 2);
            assertEquals(0, sys.socketpair(Sockets.AF_UNIX, Sockets.SOCK_STREAM | Sockets.SOCK_CLOEXEC, 0, pair));
            int reader = pair.getAtIndex(JAVA_INT, 0);
            int writer = pair.getAtIndex(JAVA_INT, 1);
            try {
                Receiver receiver = new Receiver(reader, 1);
                receiver.recycle = false; // every buffer stays taken: only growing makes room
                receiver.rearm = true;
                start(loop, receiver);
                for (int i = 0; i < BUFFERS; i++) {
                    send(sys, arena, writer, "grown " + i);
                    assertEquals("grown " + i, receiver.next.take(), "after " + receiver.grown + " growths");
                }
                CompletableFuture<int[]> after = new CompletableFuture<>();
                loop.execute(() -> after.complete(new int[] {receiver.buffers.count(), receiver.buffers.grow() ? 1 : 0}));
                int[] counts = after.get(30, TimeUnit.SECONDS);
                assertEquals(BUFFERS, counts[0], "grown to the ring's entries");
                assertEquals(0, counts[1], "and no further");
                assertEquals(2, receiver.grown, "1 -> 2 -> 4");
            } finally {
                sys.close(reader);
                sys.close(writer);
            }
        }
    }

    /** Registers the receiver's buffers and request on the loop's ring, from the loop thread. */
    private static void start(EventLoop loop, Receiver receiver) throws Exception {
        CompletableFuture<Void> armed = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                receiver.start(LoopRing.of(Loops.host(loop), 8));
                armed.complete(null);
            } catch (Exception e) {
                armed.completeExceptionally(e);
            }
        });
        armed.get(30, TimeUnit.SECONDS);
    }

    private static void send(Syscalls sys, Arena arena, int fd, String text) {
        MemorySegment bytes = arena.allocateFrom(text);
        assertEquals(text.length(), sys.write(fd, bytes.address(), text.length()));
    }

    /** One multishot receive on the loop's ring, into a ring of four provided buffers. */
    private static final class Receiver implements LoopRing.User {
        final int fd;
        final java.util.concurrent.LinkedBlockingQueue<String> next = new java.util.concurrent.LinkedBlockingQueue<>();
        final List<Integer> bufferIds = new ArrayList<>();
        final CompletableFuture<Integer> ended = new CompletableFuture<>();
        volatile boolean allHadMore = true;
        final int initial;
        boolean recycle = true;
        boolean rearm; // a request that ended for ENOBUFS grows the ring and is armed again
        int grown;
        LoopRing ring;
        BufferRing buffers;
        int tag;
        boolean armed;

        Receiver(int fd) {
            this(fd, BUFFERS);
        }

        Receiver(int fd, int initial) {
            this.fd = fd;
            this.initial = initial;
        }

        void start(LoopRing loopRing) throws java.io.IOException {
            ring = loopRing;
            buffers = BufferRing.register(loopRing, GROUP, BUFFERS, SIZE, initial);
            tag = loopRing.register(this);
        }

        @Override
        public int fill(LoopRing.Submission submission) {
            if (armed) {
                return 0;
            }
            long sqe = submission.nextUnreserved();
            MemorySegment sqes = submission.entries();
            sqes.set(JAVA_BYTE, sqe + IoUringLayout.SQE_OPCODE, IoUringLayout.IORING_OP_RECV);
            sqes.set(JAVA_BYTE, sqe + IoUringLayout.SQE_FLAGS, IoUringLayout.IOSQE_BUFFER_SELECT);
            sqes.set(JAVA_SHORT, sqe + IoUringLayout.SQE_IOPRIO, IoUringLayout.IORING_RECV_MULTISHOT);
            sqes.set(JAVA_INT, sqe + IoUringLayout.SQE_FD, fd);
            sqes.set(JAVA_SHORT, sqe + IoUringLayout.SQE_BUF_GROUP, (short) GROUP);
            sqes.set(JAVA_LONG, sqe + IoUringLayout.SQE_USER_DATA, submission.userData(tag, 1));
            armed = true;
            return 1;
        }

        @Override
        public void complete(long value, int res, int flags) {
            if (res > 0) {
                assertTrue((flags & CQE_F_BUFFER) != 0);
                int bid = flags >>> IoUringLayout.CQE_BUFFER_SHIFT;
                bufferIds.add(bid);
                allHadMore &= (flags & CQE_F_MORE) != 0;
                MemorySegment view = buffers.view(bid, res);
                assertSame(view, buffers.view(bid, res));
                next.add(new String(view.toArray(JAVA_BYTE)));
                if (recycle) {
                    buffers.recycle(bid);
                }
            } else if (rearm && res == -io.fdloop.internal.linux.Errno.ENOBUFS && buffers.grow()) {
                grown++;
                armed = false;
            } else {
                ended.complete(res);
            }
        }

        @Override
        public boolean busy() {
            return false;
        }
    }
}
