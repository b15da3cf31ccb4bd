package io.fdloop.internal.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The buffer one loop reads every socket into, and the views of it that {@code onData} receives.
 * A view of each length is made once and kept (the views all start at the buffer's start, so one
 * per length is all there is), so a read allocates nothing after warm-up.
 *
 * <p><b>Loop thread only.</b>
 */
public final class ReadBuffer {
    static final int SIZE = 64 * 1024;

    private final MemorySegment buffer = Arena.ofAuto().allocate(SIZE, 64);
    private final MemorySegment[] views = new MemorySegment[SIZE + 1];

    public int size() {
        return SIZE;
    }

    public long address() {
        return buffer.address();
    }

    /** The first {@code length} bytes, valid until the next read into this buffer. */
    public MemorySegment view(int length) {
        MemorySegment view = views[length];
        if (view == null) {
            view = buffer.asSlice(0, length);
            views[length] = view;
        }
        return view;
    }
}
