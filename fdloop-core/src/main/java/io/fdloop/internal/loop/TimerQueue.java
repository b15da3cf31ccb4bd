package io.fdloop.internal.loop;

import java.util.Arrays;

/**
 * A binary min-heap of timers by deadline. Each timer knows its index, so cancelling is
 * O(log n) and 100 000 pending timers cost one array.
 *
 * <p><b>Loop thread only.</b>
 */
final class TimerQueue {
    private LoopTimer[] heap = new LoopTimer[64];
    private int size;
    private long nextSequence;

    int size() {
        return size;
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE} when empty. */
    long earliestDeadline() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadlineNs;
    }

    LoopTimer peek() {
        return size == 0 ? null : heap[0];
    }

    void add(LoopTimer timer) {
        timer.sequence = nextSequence++;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        timer.heapIndex = size;
        heap[size++] = timer;
        siftUp(timer.heapIndex);
    }

    LoopTimer poll() {
        if (size == 0) {
            return null;
        }
        LoopTimer first = heap[0];
        removeAt(0);
        return first;
    }

    /** Removes {@code timer} if it is queued here; returns whether it was. */
    boolean remove(LoopTimer timer) {
        int i = timer.heapIndex;
        if (i < 0 || i >= size || heap[i] != timer) {
            return false;
        }
        removeAt(i);
        return true;
    }

    LoopTimer[] drain() {
        LoopTimer[] all = Arrays.copyOf(heap, size);
        for (LoopTimer timer : all) {
            timer.heapIndex = -1;
        }
        Arrays.fill(heap, 0, size, null);
        size = 0;
        return all;
    }

    private void removeAt(int i) {
        LoopTimer removed = heap[i];
        removed.heapIndex = -1;
        LoopTimer last = heap[--size];
        heap[size] = null;
        if (i < size) {
            heap[i] = last;
            last.heapIndex = i;
            siftDown(i);
            siftUp(last.heapIndex);
        }
    }

    /** Earlier deadline first; equal deadlines in the order they were scheduled. */
    private static boolean before(LoopTimer a, LoopTimer b) {
        return a.deadlineNs != b.deadlineNs ? a.deadlineNs < b.deadlineNs : a.sequence < b.sequence;
    }

    private void siftUp(int i) {
        LoopTimer timer = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            LoopTimer p = heap[parent];
            if (!before(timer, p)) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = timer;
        timer.heapIndex = i;
    }

    private void siftDown(int i) {
        LoopTimer timer = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(heap[right], heap[child])) {
                child = right;
            }
            if (!before(heap[child], timer)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = timer;
        timer.heapIndex = i;
    }
}
