package io.fdloop;

/**
 * Receives what user code run by a loop throws: a task, a timer, a signal handler, an fd handler or
 * an I/O completion handler. The loop itself carries on. The default handler logs through
 * {@link System.Logger} (logger {@code io.fdloop.EventLoop}, level WARNING); set your own with
 * {@link EventLoop.Builder#exceptionHandler} to count, report, or fail fast on such bugs.
 *
 * <p><b>Called on the loop thread</b>; it must not block, and what it throws is logged and dropped.
 */
@FunctionalInterface
public interface LoopExceptionHandler {

    /**
     * {@code error} escaped from user code.
     *
     * @param loop  the loop that ran it
     * @param where what threw, such as {@code "a task"} or {@code "an I/O completion handler"}
     * @param error what it threw
     */
    void uncaught(EventLoop loop, String where, Throwable error);
}
