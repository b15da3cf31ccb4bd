package io.fdloop;

/**
 * Called on the loop thread when a registered fd is ready.
 *
 * <p>{@code readyOps} is a bit set of {@link Registration#READABLE}, {@link Registration#WRITABLE},
 * {@link Registration#ERROR} and {@link Registration#HANGUP}.
 */
@FunctionalInterface
public interface FdHandler {

    /**
     * The fd is ready. Loop thread.
     *
     * @param registration the fd's registration (to modify or cancel it)
     * @param readyOps     what it is ready for: {@link Registration#READABLE}, {@link Registration#WRITABLE},
     *                     {@link Registration#ERROR}, {@link Registration#HANGUP}
     */
    void ready(Registration registration, int readyOps);
}
