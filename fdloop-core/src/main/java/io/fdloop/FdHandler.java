package io.fdloop;

/**
 * Called on the loop thread when a registered fd is ready.
 *
 * <p>{@code readyOps} is a bit set of {@link Registration#READABLE}, {@link Registration#WRITABLE},
 * {@link Registration#ERROR} and {@link Registration#HANGUP}.
 */
@FunctionalInterface
public interface FdHandler {
    void ready(Registration registration, int readyOps);
}
