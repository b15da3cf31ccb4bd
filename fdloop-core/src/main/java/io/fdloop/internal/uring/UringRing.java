package io.fdloop.internal.uring;

import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.Errors;
import io.fdloop.internal.linux.Syscalls;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static io.fdloop.internal.linux.IoUringLayout.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One io_uring instance: its fd and the submission queue, submission entries and completion
 * queue the kernel shares with us through mmap. Knows the ring protocol (indices, masks, memory
 * ordering), nothing about operations.
 *
 * <p><b>Not thread-safe</b>: one submitter and one reaper, the loop thread.
 */
final class UringRing implements AutoCloseable {
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final Syscalls syscalls;
    final int fd;
    final int sqEntries;
    final int cqEntries;
    private final int sqMask;
    private final int cqMask;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    final MemorySegment sqes;
    private final long sqRingLength;
    private final long cqRingLength; // 0 when the CQ shares the SQ's mapping
    private final long sqHeadOffset, sqTailOffset, sqFlagsOffset;
    private final long cqHeadOffset, cqTailOffset, cqesOffset;
    private int sqTail; // ours: the next entry to fill
    private int cqHead; // ours: the next completion to read
    private boolean closed;

    private UringRing(Syscalls syscalls, int fd, MemorySegment params, MemorySegment sqRing, long sqRingLength,
                      MemorySegment cqRing, long cqRingLength, MemorySegment sqes) {
        this.syscalls = syscalls;
        this.fd = fd;
        this.sqEntries = params.get(JAVA_INT, PARAMS_SQ_ENTRIES);
        this.cqEntries = params.get(JAVA_INT, PARAMS_CQ_ENTRIES);
        this.sqRing = sqRing;
        this.cqRing = cqRing;
        this.sqes = sqes;
        this.sqRingLength = sqRingLength;
        this.cqRingLength = cqRingLength;
        this.sqHeadOffset = params.get(JAVA_INT, PARAMS_SQ_OFF + SQ_HEAD);
        this.sqTailOffset = params.get(JAVA_INT, PARAMS_SQ_OFF + SQ_TAIL);
        this.sqFlagsOffset = params.get(JAVA_INT, PARAMS_SQ_OFF + SQ_FLAGS);
        this.sqMask = sqRing.get(JAVA_INT, params.get(JAVA_INT, PARAMS_SQ_OFF + SQ_RING_MASK));
        this.cqHeadOffset = params.get(JAVA_INT, PARAMS_CQ_OFF + CQ_HEAD);
        this.cqTailOffset = params.get(JAVA_INT, PARAMS_CQ_OFF + CQ_TAIL);
        this.cqesOffset = params.get(JAVA_INT, PARAMS_CQ_OFF + CQ_CQES);
        this.cqMask = cqRing.get(JAVA_INT, params.get(JAVA_INT, PARAMS_CQ_OFF + CQ_RING_MASK));
        this.sqTail = sqRing.get(JAVA_INT, sqTailOffset);
        this.cqHead = cqRing.get(JAVA_INT, cqHeadOffset);
        // Entry i of the SQ array always names SQE i: the SQE array is used as the ring itself.
        long array = params.get(JAVA_INT, PARAMS_SQ_OFF + SQ_ARRAY);
        for (int i = 0; i < sqEntries; i++) {
            sqRing.set(JAVA_INT, array + 4L * i, i);
        }
    }

    /**
     * Sets up a ring of {@code entries} submissions and twice as many completions, and maps it.
     *
     * <p>With {@code IORING_SETUP_COOP_TASKRUN} (Linux 5.19) where the kernel knows it: the kernel then
     * does not interrupt the loop thread (an inter-processor interrupt, a VM exit on a virtual machine)
     * to post each completion that a socket's readiness produced, but posts them when the thread next
     * enters the kernel, which the loop does every iteration (and a thread asleep in epoll_wait is
     * still woken). Older kernels refuse the flag, and the ring is set up without it.
     *
     * @throws IOException saying why io_uring cannot be used here
     */
    static UringRing open(Syscalls syscalls, int entries) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = arena.allocate(PARAMS_SIZE, 8);
            int fd = setup(syscalls, entries, params, IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP | IORING_SETUP_COOP_TASKRUN);
            if (fd == -Errno.EINVAL) {
                fd = setup(syscalls, entries, params, IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP);
            }
            if (fd < 0) {
                throw UringAvailability.setupFailure(fd);
            }
            int features = params.get(JAVA_INT, PARAMS_FEATURES);
            if ((features & IORING_FEAT_NODROP) == 0) {
                syscalls.close(fd);
                throw new IOException("io_uring here lacks IORING_FEAT_NODROP (Linux 5.5+): completions could be lost");
            }
            return map(syscalls, fd, params, features);
        }
    }

    private static int setup(Syscalls syscalls, int entries, MemorySegment params, int flags) {
        params.fill((byte) 0);
        params.set(JAVA_INT, PARAMS_FLAGS, flags);
        params.set(JAVA_INT, PARAMS_CQ_ENTRIES, entries * 2);
        return syscalls.ioUringSetup(entries, params);
    }

    private static UringRing map(Syscalls syscalls, int fd, MemorySegment params, int features) throws IOException {
        int sqEntries = params.get(JAVA_INT, PARAMS_SQ_ENTRIES);
        int cqEntries = params.get(JAVA_INT, PARAMS_CQ_ENTRIES);
        long sqLength = params.get(JAVA_INT, PARAMS_SQ_OFF + SQ_ARRAY) + 4L * sqEntries;
        long cqLength = params.get(JAVA_INT, PARAMS_CQ_OFF + CQ_CQES) + CQE_SIZE * cqEntries;
        boolean single = (features & IORING_FEAT_SINGLE_MMAP) != 0;
        if (single) {
            sqLength = Math.max(sqLength, cqLength);
        }
        long sq = 0, cq = 0, sqes = 0;
        try {
            sq = mapOrThrow(syscalls, fd, sqLength, IORING_OFF_SQ_RING);
            cq = single ? sq : mapOrThrow(syscalls, fd, cqLength, IORING_OFF_CQ_RING);
            sqes = mapOrThrow(syscalls, fd, SQE_SIZE * sqEntries, IORING_OFF_SQES);
        } catch (IOException e) {
            if (sq != 0) {
                syscalls.munmap(sq, sqLength);
            }
            if (cq != 0 && !single) {
                syscalls.munmap(cq, cqLength);
            }
            syscalls.close(fd);
            throw e;
        }
        return new UringRing(syscalls, fd, params,
                MemorySegment.ofAddress(sq).reinterpret(sqLength), sqLength,
                MemorySegment.ofAddress(cq).reinterpret(single ? sqLength : cqLength), single ? 0 : cqLength,
                MemorySegment.ofAddress(sqes).reinterpret(SQE_SIZE * sqEntries));
    }

    private static long mapOrThrow(Syscalls syscalls, int fd, long length, long offset) throws IOException {
        long address = syscalls.mmap(0, length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, offset);
        if (address < 0) {
            throw Errors.ioException("mmap(io_uring)", address, null);
        }
        return address;
    }

    /** Submission entries free to fill: the ring's size less those the kernel has not consumed. */
    int freeSubmissionEntries() {
        // Acquire: the kernel is done reading an SQE once it has published a head past it.
        int head = (int) INT.getAcquire(sqRing, sqHeadOffset);
        return sqEntries - (sqTail - head);
    }

    /** The offset in {@link #sqes} of the next entry to fill; {@link #publish(int)} makes them visible. */
    long nextEntryOffset(int index) {
        return SQE_SIZE * ((sqTail + index) & sqMask);
    }

    /** The offset in {@link #sqes} of the entry {@code back} places before the next one to fill (1: the last published). */
    long publishedEntryOffset(int back) {
        return SQE_SIZE * ((sqTail - back) & sqMask);
    }

    /** Makes {@code count} filled entries visible to the kernel. */
    void publish(int count) {
        sqTail += count;
        // Release: the SQE contents must be visible before the kernel sees the new tail.
        INT.setRelease(sqRing, sqTailOffset, sqTail);
    }

    /** io_uring_enter: asks the kernel to consume {@code count} entries; returns how many it did, or -errno. */
    int enter(int count) {
        return enter(count, 0);
    }

    /** io_uring_enter with {@code flags} ({@code IORING_ENTER_GETEVENTS}: also flush overflowed completions). */
    int enter(int count, int flags) {
        while (true) {
            int r = syscalls.ioUringEnter(fd, count, 0, flags);
            if (r != -Errno.EINTR) {
                return r;
            }
        }
    }

    /**
     * Whether completions overflowed the CQ (kept by the kernel, IORING_FEAT_NODROP): until an
     * {@code io_uring_enter(GETEVENTS)} flushes them, later completions queue behind them too.
     */
    boolean cqOverflowed() {
        // Acquire: the kernel sets the flag after queueing the overflowed completion.
        return ((int) INT.getAcquire(sqRing, sqFlagsOffset) & IORING_SQ_CQ_OVERFLOW) != 0;
    }

    boolean hasCompletions() {
        // Acquire: the CQE is written before the kernel publishes the tail that covers it.
        return cqHead != (int) INT.getAcquire(cqRing, cqTailOffset);
    }

    /** Hands every visible completion to {@code consumer}; returns how many. */
    int reap(CompletionConsumer consumer) {
        int reaped = 0;
        int tail = (int) INT.getAcquire(cqRing, cqTailOffset);
        while (cqHead != tail) {
            long cqe = cqesOffset + CQE_SIZE * (cqHead & cqMask);
            long userData = cqRing.get(JAVA_LONG, cqe + CQE_USER_DATA);
            int res = cqRing.get(JAVA_INT, cqe + CQE_RES);
            int flags = cqRing.get(JAVA_INT, cqe + CQE_FLAGS);
            cqHead++;
            // Release: we are done with the CQE before the kernel may reuse its slot.
            INT.setRelease(cqRing, cqHeadOffset, cqHead);
            reaped++;
            consumer.accept(userData, res, flags);
            if (cqHead == tail) {
                tail = (int) INT.getAcquire(cqRing, cqTailOffset);
            }
        }
        return reaped;
    }

    /** io_uring_register(IORING_REGISTER_EVENTFD): the kernel signals {@code eventFd} as completions post. */
    void registerEventfd(int eventFd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fdArgument = arena.allocate(JAVA_INT);
            fdArgument.set(JAVA_INT, 0, eventFd);
            int r = syscalls.ioUringRegister(fd, IORING_REGISTER_EVENTFD, fdArgument, 1);
            if (r < 0) {
                throw Errors.ioException("io_uring_register(IORING_REGISTER_EVENTFD)", r, null);
            }
        }
    }

    /**
     * io_uring_register(IORING_REGISTER_PBUF_RING): {@code entries} buffers at {@code ringAddress} (page-aligned)
     * become buffer group {@code groupId}; 0 or -errno.
     */
    int registerBufferRing(long ringAddress, int entries, int groupId) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment reg = arena.allocate(BUF_REG_SIZE, 8);
            reg.fill((byte) 0);
            reg.set(JAVA_LONG, BUF_REG_RING_ADDR, ringAddress);
            reg.set(JAVA_INT, BUF_REG_RING_ENTRIES, entries);
            reg.set(ValueLayout.JAVA_SHORT, BUF_REG_BGID, (short) groupId);
            return syscalls.ioUringRegister(fd, IORING_REGISTER_PBUF_RING, reg, 1);
        }
    }

    /** io_uring_register(IORING_UNREGISTER_PBUF_RING) of buffer group {@code groupId}; 0 or -errno. */
    int unregisterBufferRing(int groupId) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment reg = arena.allocate(BUF_REG_SIZE, 8);
            reg.fill((byte) 0);
            reg.set(ValueLayout.JAVA_SHORT, BUF_REG_BGID, (short) groupId);
            return syscalls.ioUringRegister(fd, IORING_UNREGISTER_PBUF_RING, reg, 1);
        }
    }

    @FunctionalInterface
    interface CompletionConsumer {
        void accept(long userData, int res, int flags);
    }

    /** Unmaps the rings and closes the fd; the kernel cancels or finishes what is still in flight. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        syscalls.munmap(sqes.address(), sqes.byteSize());
        if (cqRingLength != 0) {
            syscalls.munmap(cqRing.address(), cqRingLength);
        }
        syscalls.munmap(sqRing.address(), sqRingLength);
        syscalls.close(fd);
    }
}
