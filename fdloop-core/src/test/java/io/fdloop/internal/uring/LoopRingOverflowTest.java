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
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.fdloop.internal.linux.IoUringLayout.CQE_F_BUFFER;
import static io.fdloop.internal.linux.IoUringLayout.CQE_F_MORE;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * More multishot completions than a loop's completion queue holds arrive while the loop is busy: the
 * kernel keeps what overflows (IORING_FEAT_NODROP) and ends the multishot requests it could not post
 * for; the loop's ring must bring every completion in and lose none. The receives reserve no room, so
 * all 700 go out although the queue holds 512.
 */
class LoopRingOverflowTest {
    private static final int SOCKETS = 700, GROUP = 9;

    @Test
    void shouldBringInEveryCompletionThatOverflowedTheQueue() throws Exception {
        assumeTrue(NetMechanism.URING.isAvailable(), () -> "io_uring cannot serve sockets here: "
                + NetMechanism.URING.unavailabilityCause());
        Syscalls sys = Syscalls.linux();
        int[] readers = new int[SOCKETS];
        int[] writers = new int[SOCKETS];
        try (EventLoop loop = EventLoop.builder().name("overflow").daemon(true).start(); Arena arena = Arena.ofConfined()) {
            MemorySegment pair = arena.allocate(JAVA_INT, 2);
            for (int i = 0; i < SOCKETS; i++) {
                assertEquals(0, sys.socketpair(Sockets.AF_UNIX, Sockets.SOCK_STREAM | Sockets.SOCK_CLOEXEC, 0, pair));
                readers[i] = pair.getAtIndex(JAVA_INT, 0);
                writers[i] = pair.getAtIndex(JAVA_INT, 1);
            }
            Receivers receivers = new Receivers(readers);
            CompletableFuture<Integer> cqEntries = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    LoopRing ring = LoopRing.of(Loops.host(loop), 8);
                    receivers.start(ring);
                    cqEntries.complete(ring.completionQueueEntries());
                } catch (Exception e) {
                    cqEntries.completeExceptionally(e);
                }
            });
            assertTrue(cqEntries.get(30, TimeUnit.SECONDS) < SOCKETS, "more sockets than the completion queue holds");
            receivers.armed.await(30, TimeUnit.SECONDS);
            // Keep the loop thread busy while every socket receives a byte: the kernel posts the
            // completions on the thread's way in and out of its sleep, more than the queue holds.
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch written = new CountDownLatch(1);
            loop.execute(() -> {
                busy.countDown();
                try {
                    written.await(30, TimeUnit.SECONDS);
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            busy.await(30, TimeUnit.SECONDS);
            MemorySegment one = arena.allocate(1);
            for (int i = 0; i < SOCKETS; i++) {
                one.set(JAVA_BYTE, 0, (byte) i);
                assertEquals(1, sys.write(writers[i], one.address(), 1));
            }
            written.countDown();
            assertTrue(receivers.all.await(30, TimeUnit.SECONDS), "received " + receivers.received.cardinality()
                    + " of " + SOCKETS);
            assertEquals(SOCKETS, receivers.received.cardinality());
            assertEquals(0, receivers.wrongByte, "bytes that were not their socket's");
            assertTrue(receivers.endedWithData > 0, "the kernel ended multishot receives whose completion did not fit");
            for (int i = 0; i < SOCKETS; i++) {
                sys.shutdown(readers[i], Sockets.SHUT_RDWR); // the receives still armed end: the loop closes at once
            }
        } finally {
            for (int i = 0; i < SOCKETS; i++) {
                sys.close(readers[i]);
                sys.close(writers[i]);
            }
        }
    }

    /** One multishot receive per socket, all into one ring of provided buffers. */
    private static final class Receivers implements LoopRing.User {
        final int[] fds;
        final BitSet received = new BitSet();
        final CountDownLatch armed = new CountDownLatch(1);
        final CountDownLatch all = new CountDownLatch(1);
        final boolean[] inKernel;
        int wrongByte;
        int endedWithData; // completions with data but no more to come: the queue was full when they were posted
        BufferRing buffers;
        int tag;
        int next; // the next socket to arm

        Receivers(int[] fds) {
            this.fds = fds;
            this.inKernel = new boolean[fds.length];
        }

        void start(LoopRing ring) throws java.io.IOException {
            buffers = BufferRing.register(ring, GROUP, 1024, 16, 1024);
            tag = ring.register(this);
        }

        @Override
        public int fill(LoopRing.Submission submission) {
            int filled = 0;
            for (; next < fds.length; next++) {
                if (received.get(next) || inKernel[next]) {
                    continue;
                }
                long sqe = submission.nextUnreserved();
                if (sqe < 0) {
                    return filled;
                }
                MemorySegment sqes = submission.entries();
                sqes.set(JAVA_BYTE, sqe + IoUringLayout.SQE_OPCODE, IoUringLayout.IORING_OP_RECV);
                sqes.set(JAVA_BYTE, sqe + IoUringLayout.SQE_FLAGS, IoUringLayout.IOSQE_BUFFER_SELECT);
                sqes.set(JAVA_SHORT, sqe + IoUringLayout.SQE_IOPRIO, IoUringLayout.IORING_RECV_MULTISHOT);
                sqes.set(JAVA_INT, sqe + IoUringLayout.SQE_FD, fds[next]);
                sqes.set(JAVA_SHORT, sqe + IoUringLayout.SQE_BUF_GROUP, (short) GROUP);
                sqes.set(JAVA_LONG, sqe + IoUringLayout.SQE_USER_DATA, submission.userData(tag, next));
                inKernel[next] = true;
                filled++;
            }
            armed.countDown();
            return filled;
        }

        @Override
        public void complete(long value, int res, int flags) {
            int socket = (int) value;
            if ((flags & CQE_F_MORE) == 0) {
                inKernel[socket] = false;
                next = 0; // a request the kernel ended is armed again at the next flush, if its byte is missing
            }
            if (res > 0 && (flags & CQE_F_MORE) == 0) {
                endedWithData++;
            }
            if (res > 0 && (flags & CQE_F_BUFFER) != 0) {
                int bid = flags >>> IoUringLayout.CQE_BUFFER_SHIFT;
                if (buffers.view(bid, 1).get(JAVA_BYTE, 0) != (byte) socket) {
                    wrongByte++;
                }
                buffers.recycle(bid);
                received.set(socket);
                if (received.cardinality() == fds.length) {
                    all.countDown();
                }
            }
        }

        @Override
        public boolean busy() {
            return false;
        }
    }
}
