package io.fdloop.internal.http.transport;

import io.fdloop.internal.http.response.ResponsePlan;

/**
 * One response handed to the connection and not yet wholly in the kernel, and how much of its body is
 * known to have gone out.
 *
 * <p>A plan goes out as copies (the head, {@code Bytes} parts, small files from memory), which report
 * nothing, and file ranges sent by {@code sendFile}, each of which reports its completion; a plan whose
 * last part is not such a range ends with a zero-length marker write, which completes once everything
 * before it is in the kernel. Completions arrive in order, so each one confirms the parts up to the next
 * range sent by {@code sendFile}, or, for the marker, all of them.
 *
 * <p><b>Loop thread only.</b>
 */
final class Outgoing {
    final ResponsePlan plan;
    private int[] sentByFile; // indices of the parts sent by sendFile, in order; null while there are none
    private int files;
    private int confirmedFiles;
    private int walkedParts;
    private long walkedBytes;
    private boolean marker;
    private long bodyBytesSent;

    Outgoing(ResponsePlan plan) {
        this.plan = plan;
    }

    /** Part {@code index} goes by {@code sendFile}: its completion will come. */
    void sendsByFile(int index) {
        if (sentByFile == null) {
            sentByFile = new int[plan.body().size()];
        }
        sentByFile[files++] = index;
    }

    /** Whether the last part went by {@code sendFile}; if not, a marker must follow the plan. */
    boolean endsWithFile() {
        return files > 0 && sentByFile[files - 1] == plan.body().size() - 1;
    }

    /** A marker write follows the plan. */
    void endsWithMarker() {
        marker = true;
    }

    /** One completion arrived for this plan; returns whether the whole plan is now in the kernel. */
    boolean confirmNext() {
        if (confirmedFiles < files) {
            int last = sentByFile[confirmedFiles++];
            while (walkedParts <= last) {
                walkedBytes += plan.body().get(walkedParts++).length();
            }
            bodyBytesSent = walkedBytes;
            return confirmedFiles == files && !marker;
        }
        bodyBytesSent = plan.bodyLength();
        return true;
    }

    /** Body bytes known to be in the kernel: a lower bound when the plan is cut short. */
    long bodyBytesSent() {
        return bodyBytesSent;
    }
}
