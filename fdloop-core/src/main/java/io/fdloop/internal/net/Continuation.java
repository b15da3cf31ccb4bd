package io.fdloop.internal.net;

/**
 * Socket work that stopped at its per-iteration budget (or was asked for by a call that must not
 * do it in place) and goes on at the loop's next flush step.
 *
 * <p><b>Loop thread only.</b>
 */
public interface Continuation {
    void continueWork();
}
