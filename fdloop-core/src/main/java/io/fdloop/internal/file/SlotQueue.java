package io.fdloop.internal.file;

/**
 * A FIFO of slot indices that grows as needed: the operations a backend holds until it can send them.
 *
 * <p><b>Not thread-safe.</b>
 */
public final class SlotQueue {
    private int[] slots = new int[64];
    private int head;
    private int size;

    public void add(int slot) {
        if (size == slots.length) {
            int[] grown = new int[slots.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = slots[(head + i) & (slots.length - 1)];
            }
            slots = grown;
            head = 0;
        }
        slots[(head + size) & (slots.length - 1)] = slot;
        size++;
    }

    /** The {@code i}-th queued slot, 0 being the oldest. */
    public int peek(int i) {
        return slots[(head + i) & (slots.length - 1)];
    }

    /** Drops the {@code count} oldest slots. */
    public void remove(int count) {
        head = (head + count) & (slots.length - 1);
        size -= count;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }
}
