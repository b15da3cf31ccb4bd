package io.fdloop.internal.journal;

import io.fdloop.internal.loop.ShutdownParticipant;

/**
 * A journal's part in its loop's close: once the loop's I/O has completed (or been abandoned),
 * what was appended and not made durable fails, and the journal ends.
 *
 * <p><b>Loop thread only.</b>
 */
public final class LoopClosing implements ShutdownParticipant {
    private final Committer committer;

    public LoopClosing(Committer committer) {
        this.committer = committer;
    }

    @Override
    public void beginShutdown() {
        // the batch in flight finishes; appends queued after it fail at the end
    }

    @Override
    public void cancelInFlight() {
    }

    @Override
    public void abandonInFlight() {
    }

    @Override
    public void finishShutdown() {
        committer.loopClosing();
    }
}
