package io.fdloop.internal.file.threads;

import io.fdloop.internal.file.Operation;
import io.fdloop.internal.linux.GuardedFd;

/**
 * A FIFO of operation descriptions in parallel primitive arrays, so handing an operation to a
 * worker allocates nothing; it grows when full and never shrinks.
 *
 * <p><b>Not thread-safe</b>: the backend guards it with its lock.
 */
final class RequestQueue {
    private int[] slot = new int[64];
    private Operation[] operation = new Operation[64];
    private int[] fd = new int[64];
    private int[] vectorCount = new int[64];
    private long[] address = new long[64];
    private long[] length = new long[64];
    private long[] position = new long[64];
    private GuardedFd[] guard = new GuardedFd[64];
    private int head;
    private int size;

    void add(int opSlot, Operation op, int opFd, long opAddress, long opLength, long opPosition, int opVectorCount,
             GuardedFd opGuard) {
        if (size == slot.length) {
            grow();
        }
        int i = (head + size) & (slot.length - 1);
        slot[i] = opSlot;
        operation[i] = op;
        fd[i] = opFd;
        address[i] = opAddress;
        length[i] = opLength;
        position[i] = opPosition;
        vectorCount[i] = opVectorCount;
        guard[i] = opGuard;
        size++;
    }

    /**
     * Removes every queued request on {@code opFd}, keeping the others in order; their slots go
     * into {@code removed} (at most its length), and the count is returned.
     */
    int removeFd(int opFd, int[] removed) {
        int kept = 0;
        int count = 0;
        int mask = slot.length - 1;
        for (int n = 0; n < size; n++) {
            int from = (head + n) & mask;
            if (fd[from] == opFd && count < removed.length) {
                removed[count++] = slot[from];
                continue;
            }
            int to = (head + kept++) & mask;
            slot[to] = slot[from];
            operation[to] = operation[from];
            fd[to] = fd[from];
            address[to] = address[from];
            length[to] = length[from];
            position[to] = position[from];
            vectorCount[to] = vectorCount[from];
            guard[to] = guard[from];
        }
        for (int n = kept; n < size; n++) {
            guard[(head + n) & mask] = null;
        }
        size = kept;
        return count;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** Copies the oldest request into {@code into} and removes it. */
    void poll(Request into) {
        into.slot = slot[head];
        into.operation = operation[head];
        into.fd = fd[head];
        into.address = address[head];
        into.length = length[head];
        into.position = position[head];
        into.vectorCount = vectorCount[head];
        into.guard = guard[head];
        guard[head] = null;
        head = (head + 1) & (slot.length - 1);
        size--;
    }

    private void grow() {
        int capacity = slot.length * 2;
        slot = unwrap(slot, capacity);
        Operation[] grownOperation = new Operation[capacity];
        for (int i = 0; i < size; i++) {
            grownOperation[i] = operation[(head + i) & (operation.length - 1)];
        }
        operation = grownOperation;
        fd = unwrap(fd, capacity);
        vectorCount = unwrap(vectorCount, capacity);
        address = unwrap(address, capacity);
        length = unwrap(length, capacity);
        position = unwrap(position, capacity);
        GuardedFd[] grownGuard = new GuardedFd[capacity];
        for (int i = 0; i < size; i++) {
            grownGuard[i] = guard[(head + i) & (guard.length - 1)];
        }
        guard = grownGuard;
        head = 0;
    }

    private int[] unwrap(int[] old, int capacity) {
        int[] grown = new int[capacity];
        for (int i = 0; i < size; i++) {
            grown[i] = old[(head + i) & (old.length - 1)];
        }
        return grown;
    }

    private long[] unwrap(long[] old, int capacity) {
        long[] grown = new long[capacity];
        for (int i = 0; i < size; i++) {
            grown[i] = old[(head + i) & (old.length - 1)];
        }
        return grown;
    }

    /** One worker's copy of the request it is performing. */
    static final class Request {
        int slot;
        Operation operation;
        int fd;
        long address;
        long length;
        long position;
        int vectorCount;
        GuardedFd guard; // null for a request without one: the fd is then used as it is
    }
}
