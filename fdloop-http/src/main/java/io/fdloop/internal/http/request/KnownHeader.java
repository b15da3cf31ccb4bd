package io.fdloop.internal.http.request;

/**
 * The request header fields a static-file server acts on; every other field is checked for syntax and
 * then skipped without being copied.
 *
 * <p><b>Immutable; any thread.</b>
 */
enum KnownHeader {
    HOST("host", Kind.SINGLE),
    CONNECTION("connection", Kind.LIST),
    CONTENT_LENGTH("content-length", Kind.SINGLE),
    TRANSFER_ENCODING("transfer-encoding", Kind.LIST),
    IF_MATCH("if-match", Kind.LIST),
    IF_NONE_MATCH("if-none-match", Kind.LIST),
    IF_MODIFIED_SINCE("if-modified-since", Kind.SINGLE),
    IF_UNMODIFIED_SINCE("if-unmodified-since", Kind.SINGLE),
    IF_RANGE("if-range", Kind.SINGLE),
    RANGE("range", Kind.SINGLE),
    ACCEPT_ENCODING("accept-encoding", Kind.LIST),
    REFERER("referer", Kind.SINGLE),
    USER_AGENT("user-agent", Kind.SINGLE);

    /** How repeated field lines combine: a list joins them with ", " (RFC 9110 5.3); a single keeps them counted. */
    enum Kind { SINGLE, LIST }

    private static final KnownHeader[] ALL = values();

    final String lowerName;
    final Kind kind;

    KnownHeader(String lowerName, Kind kind) {
        this.lowerName = lowerName;
        this.kind = kind;
    }

    /** The field named by {@code buf[off, off + len)} (case-insensitive), or null. */
    static KnownHeader find(byte[] buf, int off, int len) {
        for (KnownHeader h : ALL) {
            if (h.lowerName.length() == len && Ascii.equalsIgnoreCase(buf, off, len, h.lowerName)) {
                return h;
            }
        }
        return null;
    }
}
