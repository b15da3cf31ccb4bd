package io.fdloop.internal.http;

import io.fdloop.internal.http.files.Resolution;
import io.fdloop.internal.http.request.Request;
import io.fdloop.internal.http.response.ResponsePlan;

/**
 * One request and its response, from parse to sent, in a session's queue.
 *
 * <p><b>Loop thread only.</b>
 */
final class Exchange {
    /** The parsed request, or null for one refused while being parsed. */
    final Request request;
    /** The request line for the access log, or null. */
    final String requestLine;
    final boolean keepAlive;
    /** Null while the target is being looked up. */
    ResponsePlan plan;
    /** What the plan's file regions come from; released once the plan is sent or abandoned. */
    Resolution resolution;
    boolean handed;
    boolean abandoned;

    Exchange(Request request, String requestLine, boolean keepAlive) {
        this.request = request;
        this.requestLine = requestLine;
        this.keepAlive = keepAlive;
    }

    /** Lets go of the files this exchange held; idempotent. */
    void release() {
        if (resolution != null) {
            resolution.release();
            resolution = null;
        }
    }
}
