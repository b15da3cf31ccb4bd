package io.fdloop;

import io.fdloop.internal.linux.Syscalls;

/**
 * The loop builder's test seam, for tests outside this package: a loop whose system calls go
 * through {@code syscalls} (usually a {@code ForwardingSyscalls} that injects faults).
 */
public final class TestLoops {
    private TestLoops() {
    }

    @SuppressWarnings("exports") // Syscalls is internal: this fixture is for the module's own tests
    public static EventLoop.Builder withSyscalls(EventLoop.Builder builder, Syscalls syscalls) {
        return ((io.fdloop.internal.loop.LoopBuilder) builder).syscalls(syscalls);
    }
}
