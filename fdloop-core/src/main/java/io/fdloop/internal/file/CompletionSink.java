package io.fdloop.internal.file;

/**
 * Where a backend delivers each completed operation, on the loop thread.
 */
@FunctionalInterface
public interface CompletionSink {
    /** {@code result}: bytes transferred, 0 for a sync, or {@code -errno}. */
    void complete(int slot, long result);
}
