package io.fdloop.internal.linux;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The real kernel, except that the first io_uring completion whose {@code flags} carry {@code flagsToMatch}
 * and whose {@code res} is positive gets {@code res} replaced, in the completion queue the kernel shares
 * with the ring's reaper, before the reaper sees it: how a test makes the kernel "report" a failure it
 * will not produce on demand (a receive that completes with {@code -ECONNRESET}). It learns where the
 * queue is from the ring's own {@code io_uring_setup} and {@code mmap}, and rewrites after every
 * {@code io_uring_enter}, {@code epoll_wait} and {@code read}, the calls after which a loop reaps. A
 * completion the kernel posts after the last of those and before the reap is missed: a test keeps the
 * completions coming until one is caught.
 */
public final class CompletionRewriter extends ForwardingSyscalls {
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final int flagsToMatch;
    private final int replacement;
    private volatile int ringFd = -1;
    private volatile long cqHead, cqTail, cqMask, cqes;
    private volatile boolean singleMmap;
    private volatile MemorySegment cq;
    private volatile int rewritten;

    public CompletionRewriter(int flagsToMatch, int replacement) {
        this.flagsToMatch = flagsToMatch;
        this.replacement = replacement;
    }

    /** How many completions were rewritten: at most one. */
    public int rewritten() {
        return rewritten;
    }

    @Override
    public int ioUringSetup(int entries, MemorySegment params) {
        int fd = kernel.ioUringSetup(entries, params);
        if (fd >= 0 && ringFd < 0) {
            cqHead = params.get(JAVA_INT, IoUringLayout.PARAMS_CQ_OFF + IoUringLayout.CQ_HEAD);
            cqTail = params.get(JAVA_INT, IoUringLayout.PARAMS_CQ_OFF + IoUringLayout.CQ_TAIL);
            cqMask = params.get(JAVA_INT, IoUringLayout.PARAMS_CQ_OFF + IoUringLayout.CQ_RING_MASK);
            cqes = params.get(JAVA_INT, IoUringLayout.PARAMS_CQ_OFF + IoUringLayout.CQ_CQES);
            singleMmap = (params.get(JAVA_INT, IoUringLayout.PARAMS_FEATURES) & IoUringLayout.IORING_FEAT_SINGLE_MMAP) != 0;
            ringFd = fd;
        }
        return fd;
    }

    @Override
    public long mmap(long address, long length, int protection, int flags, int fd, long offset) {
        long mapped = kernel.mmap(address, length, protection, flags, fd, offset);
        if (mapped > 0 && fd == ringFd && cq == null) {
            if (offset == IoUringLayout.IORING_OFF_CQ_RING || offset == IoUringLayout.IORING_OFF_SQ_RING && singleMmap) {
                cq = MemorySegment.ofAddress(mapped).reinterpret(length);
            }
        }
        return mapped;
    }

    @Override
    public int ioUringEnter(int fd, int toSubmit, int minComplete, int flags) {
        int r = kernel.ioUringEnter(fd, toSubmit, minComplete, flags);
        rewrite();
        return r;
    }

    @Override
    public long read(int fd, long address, long count) {
        long r = kernel.read(fd, address, count); // the loop reads the ring's eventfd before it reaps
        rewrite();
        return r;
    }

    @Override
    public int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMs) {
        int r = kernel.epollWait(epfd, events, maxEvents, timeoutMs);
        rewrite();
        return r;
    }

    private void rewrite() {
        MemorySegment ring = cq;
        if (ring == null || rewritten > 0) {
            return;
        }
        int mask = ring.get(JAVA_INT, cqMask);
        int head = ring.get(JAVA_INT, cqHead);
        int tail = (int) INT.getAcquire(ring, cqTail);
        for (int i = head; i != tail; i++) {
            long cqe = cqes + IoUringLayout.CQE_SIZE * (i & mask);
            int res = ring.get(JAVA_INT, cqe + IoUringLayout.CQE_RES);
            int cqeFlags = ring.get(JAVA_INT, cqe + IoUringLayout.CQE_FLAGS);
            if ((cqeFlags & flagsToMatch) != 0 && res > 0) {
                ring.set(JAVA_INT, cqe + IoUringLayout.CQE_RES, replacement);
                rewritten++;
                return;
            }
        }
    }
}
