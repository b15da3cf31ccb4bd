package io.fdloop.internal.loop;

import io.fdloop.IoSettings;
import io.fdloop.LoopExceptionHandler;
import io.fdloop.LoopObserver;
import io.fdloop.internal.linux.Syscalls;

import java.util.Map;

/**
 * What a builder decided for one loop.
 *
 * @param name           the loop's name
 * @param syscalls       the system calls the loop and its I/O make (the test seam)
 * @param observer       watches batches and wake-ups, or null
 * @param exceptions     receives what user code throws
 * @param closeTimeoutNs how long a close waits for requests in flight
 * @param ioSettings     each kind of I/O's settings, by their class
 */
record LoopConfig(String name, Syscalls syscalls, LoopObserver observer, LoopExceptionHandler exceptions,
                  long closeTimeoutNs, Map<Class<? extends IoSettings>, IoSettings> ioSettings) {
}
