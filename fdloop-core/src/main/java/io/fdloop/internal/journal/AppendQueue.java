package io.fdloop.internal.journal;


import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The records producers hand to the loop: a bounded multi-producer, single-consumer ring of
 * preallocated slots (Vyukov's bounded queue), so offering a record allocates nothing. A producer
 * claims a slot by moving the tail forward, fills it and publishes it through the slot's sequence;
 * the consumer takes slots in order from the head. A producer that finds the ring full may wait for
 * room ({@link #awaitRoom}); the consumer wakes waiters after it frees slots.
 *
 * <p><b>{@link #offer} and {@link #awaitRoom} from any thread; the rest from one consumer at a
 * time</b> (the loop thread, or whoever holds the journal's terminal lock once the loop is gone).
 */
public final class AppendQueue {
    private final int mask;
    private final AtomicLongArray sequences;
    private final Object[] records;
    private final int[] offsets;
    private final int[] lengths;
    private final Object[] handlers;
    private final Object[] attachments;
    private final AtomicLong tail = new AtomicLong();
    private long head; // consumer only
    private final ConcurrentLinkedQueue<Thread> waiters = new ConcurrentLinkedQueue<>();

    public AppendQueue(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two, was " + capacity);
        }
        mask = capacity - 1;
        sequences = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) {
            sequences.set(i, i);
        }
        records = new Object[capacity];
        offsets = new int[capacity];
        lengths = new int[capacity];
        handlers = new Object[capacity];
        attachments = new Object[capacity];
    }

    public int capacity() {
        return mask + 1;
    }

    /** Adds one record; false when the ring is full. Any thread. */
    public boolean offer(Object record, int offset, int length, Object handler, Object attachment) {
        long position = tail.get();
        while (true) {
            int slot = (int) position & mask;
            long difference = sequences.get(slot) - position;
            if (difference == 0) {
                if (tail.compareAndSet(position, position + 1)) {
                    records[slot] = record;
                    offsets[slot] = offset;
                    lengths[slot] = length;
                    handlers[slot] = handler;
                    attachments[slot] = attachment;
                    // Publishes the slot's fields to the consumer, which reads the sequence first.
                    sequences.set(slot, position + 1);
                    return true;
                }
                position = tail.get();
            } else if (difference < 0) {
                return false; // the consumer has not freed this slot from the previous lap
            } else {
                position = tail.get(); // another producer took it
            }
        }
    }

    /**
     * Waits until the ring may have room, at most {@code timeoutNs}. Any thread.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public void awaitRoom(long timeoutNs) throws InterruptedException {
        Thread me = Thread.currentThread();
        waiters.offer(me);
        // Checked after announcing the wait: a consumer that freed a slot before it saw this
        // waiter left that slot visible here (both sides are volatile accesses).
        if (isFull()) {
            LockSupport.parkNanos(this, timeoutNs);
        }
        waiters.remove(me);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    private boolean isFull() {
        long position = tail.get();
        return sequences.get((int) position & mask) - position < 0;
    }

    /** Whether a record is waiting at the head. Consumer. */
    public boolean hasNext() {
        return sequences.get((int) head & mask) == head + 1;
    }

    public Object record() {
        return records[(int) head & mask];
    }

    public int recordOffset() {
        return offsets[(int) head & mask];
    }

    public int length() {
        return lengths[(int) head & mask];
    }

    public Object handler() {
        return handlers[(int) head & mask];
    }

    public Object attachment() {
        return attachments[(int) head & mask];
    }

    /** Frees the head slot for producers. Consumer, after {@link #hasNext()}. */
    public void remove() {
        int slot = (int) head & mask;
        records[slot] = null;
        handlers[slot] = null;
        attachments[slot] = null;
        // A volatile store: producers may reuse the slot (see awaitRoom for the wake-up's half).
        sequences.set(slot, head + capacity());
        head++;
    }

    /** Wakes producers waiting for room, if any (allocating nothing). Consumer, after it removed records. */
    public void signalRoom() {
        Thread waiter;
        while ((waiter = waiters.poll()) != null) {
            LockSupport.unpark(waiter); // it checks again, and waits again if the ring is still full
        }
    }

    public static long waitSliceNs() {
        return TimeUnit.MILLISECONDS.toNanos(10);
    }
}
