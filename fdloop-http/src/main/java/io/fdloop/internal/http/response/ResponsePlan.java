package io.fdloop.internal.http.response;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * What to write for one response: the head (status line, header fields and the empty line), then the
 * body parts in order, then, if {@link #closeAfter()}, a graceful close. {@code bodyLength} is what
 * the head's {@code Content-Length} announced to follow (0 for HEAD, 304 and the like, which carry no
 * body parts).
 *
 * <p><b>Immutable; any thread.</b>
 */
public final class ResponsePlan {
    private final int status;
    private final MemorySegment head;
    private final List<BodyPart> body;
    private final long bodyLength;
    private final boolean closeAfter;

    ResponsePlan(int status, MemorySegment head, List<BodyPart> body, boolean closeAfter) {
        this.status = status;
        this.head = head;
        this.body = List.copyOf(body);
        long length = 0;
        for (BodyPart part : body) {
            length += part.length();
        }
        this.bodyLength = length;
        this.closeAfter = closeAfter;
    }

    public int status() {
        return status;
    }

    /** The head's bytes: a heap segment, to be read only. */
    public MemorySegment head() {
        return head;
    }

    public List<BodyPart> body() {
        return body;
    }

    public long bodyLength() {
        return bodyLength;
    }

    /** Whether the connection closes (gracefully, once this response is out) after this response. */
    public boolean closeAfter() {
        return closeAfter;
    }

    @Override
    public String toString() {
        return "ResponsePlan[" + status + ", head " + head.byteSize() + " B, body " + bodyLength + " B in "
                + body.size() + " parts" + (closeAfter ? ", then close]" : "]");
    }
}
