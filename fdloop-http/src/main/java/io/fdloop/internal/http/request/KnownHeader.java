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
    USER_AGENT("user-agent", Kind.SINGLE),
    EXPECT("expect", Kind.LIST);

    /** How repeated field lines combine: a list joins them with ", " (RFC 9110 5.3); a single keeps them counted. */
    enum Kind { SINGLE, LIST }


    final String lowerName;
    final Kind kind;
    private final byte[] lower;

    KnownHeader(String lowerName, Kind kind) {
        this.lowerName = lowerName;
        this.kind = kind;
        this.lower = lowerName.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Whether the field is only written to the access log (not kept without one). */
    boolean onlyLogged() {
        return this == REFERER || this == USER_AGENT;
    }

    /** The field named by {@code buf[off, off + len)} (case-insensitive), or null. */
    static KnownHeader find(byte[] buf, int off, int len) {
        return switch (len) {
            case 4 -> match(HOST, buf, off);
            case 5 -> match(RANGE, buf, off);
            case 6 -> match(EXPECT, buf, off);
            case 7 -> match(REFERER, buf, off);
            case 8 -> or(match(IF_MATCH, buf, off), IF_RANGE, buf, off);
            case 10 -> or(match(CONNECTION, buf, off), USER_AGENT, buf, off);
            case 13 -> match(IF_NONE_MATCH, buf, off);
            case 14 -> match(CONTENT_LENGTH, buf, off);
            case 15 -> match(ACCEPT_ENCODING, buf, off);
            case 17 -> or(match(IF_MODIFIED_SINCE, buf, off), TRANSFER_ENCODING, buf, off);
            case 19 -> match(IF_UNMODIFIED_SINCE, buf, off);
            default -> null;
        };
    }

    private static KnownHeader or(KnownHeader found, KnownHeader other, byte[] buf, int off) {
        return found != null ? found : match(other, buf, off);
    }

    /**
     * Whether the name at {@code off} is {@code h}'s, ignoring case. Known names hold only letters and
     * {@code -}, and a field name only token characters, so setting bit 0x20 folds case exactly here.
     */
    private static KnownHeader match(KnownHeader h, byte[] buf, int off) {
        byte[] lower = h.lower;
        for (int i = 0; i < lower.length; i++) {
            if ((buf[off + i] | 0x20) != lower[i]) {
                return null;
            }
        }
        return h;
    }
}
