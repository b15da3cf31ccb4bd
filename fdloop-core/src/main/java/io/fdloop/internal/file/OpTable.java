package io.fdloop.internal.file;

import io.fdloop.file.IoCallback;
import io.fdloop.internal.linux.GuardedFd;

import java.util.Arrays;

/**
 * The loop's in-flight file operations, as parallel arrays indexed by slot. A slot is taken when
 * an operation is issued and given back when its completion has been delivered, so the buffer it
 * references stays reachable for exactly as long as the kernel may use it. Slots are reused; the
 * arrays grow when every slot is busy and never shrink, so the steady state allocates nothing.
 *
 * <p>An operation is entered in two steps: {@link #acquire} (who asked, for what, on which fd), then
 * {@link #transfer} (the memory the kernel uses) for operations that have buffers.
 *
 * <p><b>Loop thread only.</b> Backends that hand work to other threads copy what they need.
 */
public final class OpTable {
    /** {@link #firstStep} of an operation whose first step has not completed. */
    public static final long NO_RESULT = Long.MIN_VALUE;

    private Operation[] operation;
    private int[] fd;
    private GuardedFd[] guard;
    private long[] address;
    private long[] length;
    private long[] position;
    private long[] firstStep;
    private int[] vectorCount;
    private IoCallback<?>[] callback;
    private Object[] attachment;
    private Object[] held;
    private OpenFile[] owner;
    private boolean[] abandoned;
    private int[] nextFree;
    private int freeHead = -1;
    private int used;
    private int inUse;

    public OpTable(int initialCapacity) {
        allocate(initialCapacity);
    }

    /**
     * Takes a free slot for {@code op} on {@code file}'s fd; its transfer is empty until
     * {@link #transfer} fills it.
     */
    int acquire(OpenFile file, Operation op, IoCallback<?> opCallback, Object opAttachment) {
        int slot;
        if (freeHead >= 0) {
            slot = freeHead;
            freeHead = nextFree[slot];
        } else {
            if (used == operation.length) {
                allocate(operation.length * 2);
            }
            slot = used++;
        }
        inUse++;
        operation[slot] = op;
        owner[slot] = file;
        fd[slot] = file.fd();
        guard[slot] = file.guard();
        callback[slot] = opCallback;
        attachment[slot] = opAttachment;
        abandoned[slot] = false;
        address[slot] = 0;
        length[slot] = 0;
        position[slot] = 0;
        vectorCount[slot] = 0;
        firstStep[slot] = NO_RESULT;
        held[slot] = null;
        return slot;
    }

    /**
     * The memory of the operation in {@code slot}: an address and length (for a vectored operation,
     * an iovec array and its count), the file offset, and the object that keeps that memory alive
     * until the completion (a buffer, a vector, a bounce buffer).
     */
    void transfer(int slot, long opAddress, long opLength, long opPosition, int opVectorCount, Object opHeld) {
        address[slot] = opAddress;
        length[slot] = opLength;
        position[slot] = opPosition;
        vectorCount[slot] = opVectorCount;
        held[slot] = opHeld;
    }

    /** Gives the slot back, dropping its references. */
    void release(int slot) {
        callback[slot] = null;
        attachment[slot] = null;
        held[slot] = null;
        owner[slot] = null;
        guard[slot] = null;
        nextFree[slot] = freeHead;
        freeHead = slot;
        inUse--;
    }

    public int inUse() {
        return inUse;
    }

    /** One past the highest slot ever used: the bound for scanning the table. */
    int highWater() {
        return used;
    }

    /** Whether {@code slot} describes an operation in flight (taken and not released). */
    boolean isTaken(int slot) {
        return owner[slot] != null;
    }

    /**
     * Marks the operation given up on: its caller was told it failed, but the kernel may still use
     * its memory, so the slot (and what holds the memory) stays taken until the completion comes.
     */
    void abandon(int slot) {
        abandoned[slot] = true;
    }

    boolean isAbandoned(int slot) {
        return abandoned[slot];
    }

    public Operation operation(int slot) {
        return operation[slot];
    }

    public int fd(int slot) {
        return fd[slot];
    }

    /**
     * The fd's guard, for backends whose workers use the fd number on other threads: they hold it
     * across the call so that a close cannot hand the number to another file meanwhile.
     */
    public GuardedFd guard(int slot) {
        return guard[slot];
    }

    public long address(int slot) {
        return address[slot];
    }

    public long length(int slot) {
        return length[slot];
    }

    public long position(int slot) {
        return position[slot];
    }

    public int vectorCount(int slot) {
        return vectorCount[slot];
    }

    /**
     * Of an operation in two steps ({@link Operation#WRITE_FDATASYNC}): the first step's result,
     * which its backend records when that step completes; {@link #NO_RESULT} before.
     */
    public long firstStep(int slot) {
        return firstStep[slot];
    }

    public void recordFirstStep(int slot, long result) {
        firstStep[slot] = result;
    }

    IoCallback<?> callback(int slot) {
        return callback[slot];
    }

    Object attachment(int slot) {
        return attachment[slot];
    }

    Object held(int slot) {
        return held[slot];
    }

    OpenFile owner(int slot) {
        return owner[slot];
    }

    private void allocate(int capacity) {
        if (operation == null) {
            operation = new Operation[capacity];
            fd = new int[capacity];
            guard = new GuardedFd[capacity];
            address = new long[capacity];
            length = new long[capacity];
            position = new long[capacity];
            firstStep = new long[capacity];
            vectorCount = new int[capacity];
            callback = new IoCallback<?>[capacity];
            attachment = new Object[capacity];
            held = new Object[capacity];
            owner = new OpenFile[capacity];
            abandoned = new boolean[capacity];
            nextFree = new int[capacity];
            return;
        }
        operation = Arrays.copyOf(operation, capacity);
        fd = Arrays.copyOf(fd, capacity);
        guard = Arrays.copyOf(guard, capacity);
        address = Arrays.copyOf(address, capacity);
        length = Arrays.copyOf(length, capacity);
        position = Arrays.copyOf(position, capacity);
        firstStep = Arrays.copyOf(firstStep, capacity);
        vectorCount = Arrays.copyOf(vectorCount, capacity);
        callback = Arrays.copyOf(callback, capacity);
        attachment = Arrays.copyOf(attachment, capacity);
        held = Arrays.copyOf(held, capacity);
        owner = Arrays.copyOf(owner, capacity);
        abandoned = Arrays.copyOf(abandoned, capacity);
        nextFree = Arrays.copyOf(nextFree, capacity);
    }
}
