package io.fdloop.cli.bench;

import io.fdloop.file.AlignedBuffers;

/**
 * The slots of one run, their buffers page-aligned (fine for O_DIRECT anywhere). The memory is
 * the garbage collector's ({@code Arena.ofAuto()}): fdloop hands it to the kernel directly, and it
 * lives as long as a request in flight references it.
 *
 * <p><b>Not thread-safe.</b>
 */
final class Slots {
    private final Slot[] slots;

    Slots(Job job) {
        slots = new Slot[job.queueDepth()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(i, AlignedBuffers.allocate(job.blockSize(), AlignedBuffers.SAFE_ALIGNMENT));
        }
    }

    Slot[] array() {
        return slots;
    }
}
