package io.fdloop.internal.http.transport;

import io.fdloop.internal.http.response.BodyPart;
import io.fdloop.internal.http.response.ResponsePlan;

import java.util.List;

/**
 * One response handed to the connection and not yet wholly in the kernel, and how much of its body is
 * known to have gone out.
 *
 * <p>A plan goes out as copies (the head and {@code Bytes} parts, which report nothing) and file ranges
 * (each reports its completion); a plan that does not end with a file range ends with a zero-length
 * marker write, which completes once everything before it is in the kernel. So each completion a plan
 * receives confirms the parts up to and including the next file range, or, for the marker, all of them.
 *
 * <p><b>Loop thread only.</b>
 */
final class Outgoing {
    final ResponsePlan plan;
    private int confirmedParts;
    private long bodyBytesSent;

    Outgoing(ResponsePlan plan) {
        this.plan = plan;
    }

    /** Whether the plan's last part is a file range (else it ends with a marker). */
    static boolean endsWithFile(ResponsePlan plan) {
        List<BodyPart> body = plan.body();
        return !body.isEmpty() && body.getLast() instanceof BodyPart.FileRegion;
    }

    /**
     * One completion arrived for this plan: confirms the parts up to the next file range (or to the end).
     * Returns whether the whole plan is now in the kernel.
     */
    boolean confirmNext() {
        List<BodyPart> body = plan.body();
        while (confirmedParts < body.size()) {
            BodyPart part = body.get(confirmedParts++);
            bodyBytesSent += part.length();
            if (part instanceof BodyPart.FileRegion) {
                return confirmedParts == body.size();
            }
        }
        return true;
    }

    /** Body bytes known to be in the kernel: a lower bound when the plan is cut short. */
    long bodyBytesSent() {
        return bodyBytesSent;
    }
}
