package io.fdloop.internal.uring;

import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.Errors;
import io.fdloop.internal.linux.Eventfd;
import io.fdloop.internal.linux.Syscalls;
import io.fdloop.internal.loop.CompletionSource;
import io.fdloop.internal.loop.LoopHost;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static io.fdloop.internal.linux.IoUringLayout.CQE_F_MORE;
import static io.fdloop.internal.linux.IoUringLayout.IORING_ENTER_GETEVENTS;
import static io.fdloop.internal.linux.IoUringLayout.IOSQE_IO_LINK;
import static io.fdloop.internal.linux.IoUringLayout.SQE_FLAGS;
import static io.fdloop.internal.linux.IoUringLayout.SQE_SIZE;
import static io.fdloop.internal.linux.IoUringLayout.SQE_USER_DATA;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The loop's one io_uring, shared by every kind of I/O on the loop (files, sockets): one ring, one
 * eventfd registered with {@code IORING_REGISTER_EVENTFD} in the loop's epoll set, and one
 * {@code io_uring_enter} per iteration for everything every user queued. The pattern of Linux AIO's
 * {@code IOCB_FLAG_RESFD} on the newer interface: the eventfd is only a hint (several completions may post one signal), so every
 * wake-up drains the whole completion queue.
 *
 * <p>Each {@link User} fills submission entries when the loop flushes and gets back the completions
 * whose {@code user_data} carries its tag (the top byte; below it one bit that marks a request that
 * reserves no room; the rest is the user's). No more reserving requests (file operations) are in
 * flight than the completion queue holds, so they alone can never overflow it; what does not fit
 * waits in its user. Requests that may wait without bound (a socket's receive or send, which waits
 * for the peer) or complete many times (a multishot accept or receive) reserve no room, since
 * thousands of them may be in flight: the kernel ends a multishot request whose next completion would
 * not fit, and keeps completions that overflow the queue ({@code IORING_FEAT_NODROP}) until an
 * {@code io_uring_enter(GETEVENTS)} brings them in, which the reap step does whenever the ring says
 * it overflowed. No completion is lost either way.
 *
 * <p><b>Loop thread only.</b>
 */
public final class LoopRing implements CompletionSource {
    private static final int TAG_SHIFT = 56;
    /** In {@code user_data}: the request reserves no completion queue room (see the class comment). */
    private static final long UNRESERVED = 1L << 55;
    private static final long VALUE_MASK = UNRESERVED - 1;
    /** Overflowed completions brought in per reap, at most, in rounds of a full queue. */
    private static final int OVERFLOW_ROUNDS = 4;
    /** The smallest ring a loop gets, so that users who come later still find room. */
    private static final int MIN_ENTRIES = 256;

    /** One kind of I/O using the ring. Loop thread only. */
    public interface User {

        /** Fills submission entries for what it has queued, taking each from {@code submission}; returns how many. */
        int fill(Submission submission);

        /** A completion of one of its requests: {@code value} is the user's part of {@code user_data}. */
        void complete(long value, int res, int flags);

        /** Whether it has requests queued or in flight. */
        boolean busy();

        /**
         * The request {@code value} was submitted with {@code IOSQE_IO_LINK} but the kernel took it
         * without the entry after it (a partial {@code io_uring_enter}): the two run independently.
         */
        default void linkCut(long value) {
        }

        /** The ring is closing with the loop; nothing more will be completed. */
        default void ringClosed() {
        }
    }

    /** The entries one flush may fill. Loop thread only. */
    public final class Submission {
        private int filled;
        private int reservedFilled;
        private int entryRoom; // free submission entries
        private int reserveRoom; // completions that may still be reserved
        private boolean refused;
        private boolean lastUnreserved;

        /**
         * The offset in {@link #entries()} of the next submission entry, zeroed, for a request that
         * reserves room for its completion (see the class comment); -1 when the ring has no room for
         * more this iteration (the user keeps the rest queued).
         */
        public long next() {
            if (reservedFilled == reserveRoom) {
                refused = true;
                return -1;
            }
            long sqe = take(false);
            if (sqe >= 0) {
                reservedFilled++;
            }
            return sqe;
        }

        /**
         * The same for a request that reserves no room: a multishot request, or one that may wait without
         * bound (a socket's send or receive, see the class comment); -1 only when no entry is free.
         */
        public long nextUnreserved() {
            return take(true);
        }

        private long take(boolean unreserved) {
            if (filled == entryRoom) {
                refused = true;
                return -1;
            }
            long sqe = ring.nextEntryOffset(filled++);
            MemorySegment sqes = ring.sqes;
            for (long offset = 0; offset < SQE_SIZE; offset += 8) {
                sqes.set(JAVA_LONG, sqe + offset, 0L);
            }
            lastUnreserved = unreserved;
            return sqe;
        }

        /**
         * Whether {@code entries} more reserving entries fit this iteration: for requests that go out
         * together or not at all.
         */
        public boolean hasRoomFor(int entries) {
            boolean fits = entryRoom - filled >= entries && reserveRoom - reservedFilled >= entries;
            if (!fits) {
                refused = true;
            }
            return fits;
        }

        /** The mapped submission entries. */
        public MemorySegment entries() {
            return ring.sqes;
        }

        /**
         * {@code value} tagged as {@code user}'s, for the {@code user_data} of the entry {@link #next()} or
         * {@link #nextUnreserved()} gave last.
         */
        public long userData(int tag, long value) {
            return ((long) tag << TAG_SHIFT) | (lastUnreserved ? UNRESERVED : 0) | (value & VALUE_MASK);
        }
    }

    private final Syscalls syscalls;
    private final UringRing ring;
    private final int eventFd;
    private final int capacity;
    private final Submission submission = new Submission();
    private final UringRing.CompletionConsumer onCompletion = this::onCompletion;
    private User[] users = new User[1]; // index = tag; tag 0 is never given out
    private int inFlight; // requests submitted (or published) whose last completion has not come
    private int reserved; // those among them that hold room for their completion
    private int unsubmitted; // published in the SQ, not yet consumed by io_uring_enter
    private boolean stalled;
    private boolean outOfEntries; // the last flush had users waiting for submission entries, not for completions
    private long lastSignalCount;
    private int reaped;
    private boolean closed;

    private LoopRing(Syscalls syscalls, UringRing ring, int eventFd) {
        this.syscalls = syscalls;
        this.ring = ring;
        this.eventFd = eventFd;
        this.capacity = Math.min(ring.cqEntries, 2 * ring.sqEntries);
    }

    /**
     * The loop's ring, set up and plugged into the loop on first use with room for at least
     * {@code entries} submissions (the completion queue twice that).
     *
     * @throws IOException when io_uring cannot be used here, saying why (then every later call says the same)
     */
    public static LoopRing of(LoopHost host, int entries) throws IOException {
        Holder holder = host.attachment(Holder.class, h -> new Holder());
        synchronized (holder) {
            if (holder.ring == null) {
                if (holder.failure != null) {
                    throw new IOException(holder.failure.getMessage(), holder.failure);
                }
                try {
                    LoopRing ring = open(host.syscalls(), Math.max(MIN_ENTRIES, entries));
                    try {
                        host.addSource(ring);
                    } catch (IOException | RuntimeException e) {
                        ring.close();
                        throw e;
                    }
                    holder.ring = ring;
                } catch (IOException e) {
                    holder.failure = e;
                    throw e;
                }
            }
            return holder.ring;
        }
    }

    /** The loop's ring once made, for one loop; the first failure to make it is kept. */
    private static final class Holder {
        LoopRing ring;
        IOException failure;
    }

    private static LoopRing open(Syscalls syscalls, int entries) throws IOException {
        UringRing ring = UringRing.open(syscalls, Integer.highestOneBit(Math.min(entries, 32768) * 2 - 1));
        int fd;
        try {
            fd = Eventfd.create(syscalls, 0, 0);
        } catch (IOException e) {
            ring.close();
            throw e;
        }
        try {
            ring.registerEventfd(fd);
        } catch (IOException e) {
            ring.close();
            syscalls.close(fd);
            throw e;
        }
        return new LoopRing(syscalls, ring, fd);
    }

    /** How many completions the kernel's queue holds (beyond them, they overflow). */
    public int completionQueueEntries() {
        return ring.cqEntries;
    }

    /** Makes {@code user} one of the ring's; returns its tag, for {@link Submission#userData}. */
    public int register(User user) {
        users = Arrays.copyOf(users, users.length + 1);
        users[users.length - 1] = user;
        return users.length - 1;
    }

    @Override
    public String name() {
        return "uring";
    }

    @Override
    public int eventFd() {
        return eventFd;
    }

    /**
     * io_uring_register(IORING_REGISTER_PBUF_RING): the {@code entries} buffers described at {@code ringAddress}
     * (page-aligned memory the caller keeps alive while the ring lives) become buffer group {@code groupId}.
     *
     * @throws IOException when the kernel refuses (before Linux 5.19 it has no provided buffer rings)
     */
    public void registerBufferRing(long ringAddress, int entries, int groupId) throws IOException {
        int r = ring.registerBufferRing(ringAddress, entries, groupId);
        if (r < 0) {
            throw Errors.ioException("io_uring_register(IORING_REGISTER_PBUF_RING)", r,
                    entries + " buffers in group " + groupId);
        }
    }

    /** Takes buffer group {@code groupId} back from the kernel; 0 or -errno. */
    public int unregisterBufferRing(int groupId) {
        return closed ? 0 : ring.unregisterBufferRing(groupId);
    }

    @Override
    public int flush() {
        stalled = false;
        submission.filled = 0;
        submission.reservedFilled = 0;
        submission.refused = false;
        int free = ring.freeSubmissionEntries();
        submission.entryRoom = free;
        submission.reserveRoom = Math.max(0, capacity - reserved);
        for (int tag = 1; tag < users.length && submission.filled < free; tag++) {
            users[tag].fill(submission);
        }
        int filled = submission.filled;
        // Entries ran out (not completion room, which only completions give back): flush again soon.
        outOfEntries = submission.refused && filled == free;
        if (filled > 0) {
            ring.publish(filled);
            inFlight += filled;
            reserved += submission.reservedFilled;
            unsubmitted += filled;
        }
        if (unsubmitted == 0) {
            return 0;
        }
        int r = ring.enter(unsubmitted);
        if (r >= 0) {
            if (r > 0 && r < unsubmitted) {
                noticeCutLink(ring.publishedEntryOffset(unsubmitted - r + 1)); // the last entry taken
            }
            unsubmitted -= r;
            return r;
        }
        if (r == -Errno.EAGAIN || r == -Errno.EBUSY) {
            // The kernel is short of memory or has completions to flush first: what it did not
            // take stays in the ring. Completions may not come soon (a multishot receive on an idle
            // socket never completes), so the loop retries soon rather than sleeping.
            stalled = true;
            return 0;
        }
        throw new IllegalStateException(Errors.describe("io_uring_enter", -r, null));
    }

    /**
     * The kernel took entries up to {@code lastTaken} only: when that one was linked to the next, it
     * ran without its link (the kernel submits an unterminated chain as it stands), and the next,
     * taken by a later call, does not wait for it. Its user is told, so that it can restore the order.
     */
    private void noticeCutLink(long lastTaken) {
        MemorySegment sqes = ring.sqes;
        if ((sqes.get(JAVA_BYTE, lastTaken + SQE_FLAGS) & IOSQE_IO_LINK) != 0) {
            long userData = sqes.get(JAVA_LONG, lastTaken + SQE_USER_DATA);
            users[(int) (userData >>> TAG_SHIFT)].linkCut(userData & VALUE_MASK);
        }
    }

    /** Users still have entries to fill that the last flush had no submission entries for. */
    @Override
    public boolean hasPendingWork() {
        return outOfEntries;
    }

    @Override
    public boolean stalled() {
        return stalled;
    }

    @Override
    public boolean hasVisibleCompletions() {
        return inFlight > 0 && (ring.hasCompletions() || ring.cqOverflowed());
    }

    @Override
    public int reap(boolean signalled) {
        lastSignalCount = signalled ? Eventfd.drain(syscalls, eventFd, "io_uring") : 0;
        reaped = 0;
        ring.reap(onCompletion);
        for (int round = 0; round < OVERFLOW_ROUNDS && ring.cqOverflowed(); round++) {
            int r = ring.enter(0, IORING_ENTER_GETEVENTS); // moves what overflowed into the queue just drained
            if (r < 0 && r != -Errno.EAGAIN && r != -Errno.EBUSY) {
                throw new IllegalStateException(Errors.describe("io_uring_enter(GETEVENTS)", -r, null));
            }
            ring.reap(onCompletion);
        }
        return reaped;
    }

    private void onCompletion(long userData, int res, int flags) {
        if ((flags & CQE_F_MORE) == 0) {
            inFlight--; // the request's last completion
            if ((userData & UNRESERVED) == 0) {
                reserved--;
            }
        }
        reaped++;
        users[(int) (userData >>> TAG_SHIFT)].complete(userData & VALUE_MASK, res, flags);
    }

    @Override
    public long lastSignalCount() {
        return lastSignalCount;
    }

    @Override
    public boolean busy() {
        if (inFlight > 0) {
            return true;
        }
        for (int tag = 1; tag < users.length; tag++) {
            if (users[tag].busy()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Unmaps the rings and closes the fd; the kernel cancels or finishes what is still in flight,
     * keeping the pages of those requests' buffers pinned until it does.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int tag = 1; tag < users.length; tag++) {
            users[tag].ringClosed();
        }
        ring.close();
        syscalls.close(eventFd);
    }
}
