package io.fdloop.cli.bench;

import io.fdloop.file.AlignedBuffers;

import java.lang.foreign.Arena;

/**
 * The slots of one run, their buffers page-aligned (fine for O_DIRECT anywhere) in one arena.
 *
 * <p><b>Not thread-safe.</b> Close only once no request is in flight: the kernel writes into the
 * buffers until then.
 */
final class Slots implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final Slot[] slots;

    Slots(Job job) {
        slots = new Slot[job.queueDepth()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(i, AlignedBuffers.allocate(arena, job.blockSize(), AlignedBuffers.SAFE_ALIGNMENT));
        }
    }

    Slot[] array() {
        return slots;
    }

    @Override
    public void close() {
        arena.close();
    }
}
