package io.fdloop.internal.file;

import io.fdloop.internal.linux.GuardedFd;

import java.util.Arrays;

/**
 * The loop's in-flight file operations, as parallel arrays indexed by slot. A slot is taken when
 * an operation is issued and given back when its completion has been delivered, so the buffer it
 * references stays reachable for exactly as long as the kernel may use it. Slots are reused; the
 * arrays grow when every slot is busy and never shrink, so the steady state allocates nothing.
 *
 * <p><b>Loop thread only.</b> Backends that hand work to other threads copy what they need.
 */
public final class OpTable {
    private int[] kind;
    private int[] fd;
    private long[] address;
    private long[] length;
    private long[] position;
    private int[] vectorCount;
    private Object[] handler;
    private Object[] attachment;
    private Object[] buffer;
    private Object[] owner;
    private boolean[] abandoned;
    private GuardedFd[] guard;
    private int[] nextFree;
    private int freeHead = -1;
    private int used;
    private int inUse;

    public OpTable(int initialCapacity) {
        allocate(initialCapacity);
    }

    /** Takes a free slot and describes the operation in it. */
    public int acquire(int opKind, int opFd, long opAddress, long opLength, long opPosition, int opVectorCount,
                       Object opHandler, Object opAttachment, Object opBuffer, Object opOwner) {
        int slot;
        if (freeHead >= 0) {
            slot = freeHead;
            freeHead = nextFree[slot];
        } else {
            if (used == kind.length) {
                allocate(kind.length * 2);
            }
            slot = used++;
        }
        inUse++;
        kind[slot] = opKind;
        fd[slot] = opFd;
        address[slot] = opAddress;
        length[slot] = opLength;
        position[slot] = opPosition;
        vectorCount[slot] = opVectorCount;
        handler[slot] = opHandler;
        attachment[slot] = opAttachment;
        buffer[slot] = opBuffer;
        owner[slot] = opOwner;
        abandoned[slot] = false;
        guard[slot] = null;
        return slot;
    }

    /**
     * The fd's guard, for backends whose workers use the fd number on other threads: they hold it
     * across the call so that a close cannot hand the number to another file meanwhile.
     */
    public void setGuard(int slot, GuardedFd fdGuard) {
        guard[slot] = fdGuard;
    }

    public GuardedFd guard(int slot) {
        return guard[slot];
    }

    /** Gives the slot back, dropping its references. */
    public void release(int slot) {
        handler[slot] = null;
        attachment[slot] = null;
        buffer[slot] = null;
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
    public int highWater() {
        return used;
    }

    /** Whether {@code slot} describes an operation in flight (taken and not released). */
    public boolean isTaken(int slot) {
        return owner[slot] != null;
    }

    /**
     * Marks the operation given up on: its caller was told it failed, but the kernel may still use
     * its buffer, so the slot (and the buffer it references) stays taken until the completion comes.
     */
    public void abandon(int slot) {
        abandoned[slot] = true;
    }

    public boolean isAbandoned(int slot) {
        return abandoned[slot];
    }

    public int kind(int slot) {
        return kind[slot];
    }

    public int fd(int slot) {
        return fd[slot];
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

    public Object handler(int slot) {
        return handler[slot];
    }

    public Object attachment(int slot) {
        return attachment[slot];
    }

    public Object buffer(int slot) {
        return buffer[slot];
    }

    public Object owner(int slot) {
        return owner[slot];
    }

    private void allocate(int capacity) {
        if (kind == null) {
            kind = new int[capacity];
            fd = new int[capacity];
            address = new long[capacity];
            length = new long[capacity];
            position = new long[capacity];
            vectorCount = new int[capacity];
            handler = new Object[capacity];
            attachment = new Object[capacity];
            buffer = new Object[capacity];
            owner = new Object[capacity];
            abandoned = new boolean[capacity];
            guard = new GuardedFd[capacity];
            nextFree = new int[capacity];
            return;
        }
        kind = Arrays.copyOf(kind, capacity);
        fd = Arrays.copyOf(fd, capacity);
        address = Arrays.copyOf(address, capacity);
        length = Arrays.copyOf(length, capacity);
        position = Arrays.copyOf(position, capacity);
        vectorCount = Arrays.copyOf(vectorCount, capacity);
        handler = Arrays.copyOf(handler, capacity);
        attachment = Arrays.copyOf(attachment, capacity);
        buffer = Arrays.copyOf(buffer, capacity);
        owner = Arrays.copyOf(owner, capacity);
        abandoned = Arrays.copyOf(abandoned, capacity);
        guard = Arrays.copyOf(guard, capacity);
        nextFree = Arrays.copyOf(nextFree, capacity);
    }
}
