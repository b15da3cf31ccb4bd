package io.fdloop.internal.http.request;

/**
 * One parsed request head: its method, version, raw target and the header fields a static-file
 * server acts on. Syntax and message framing have been checked ({@link RequestParser}); whether the
 * method is served and what the target names is decided later.
 *
 * <p><b>Immutable; any thread.</b> Field values are the bytes received, one char per byte
 * (ISO-8859-1), trimmed of surrounding whitespace; repeated list fields are joined with {@code ", "};
 * a single-valued field received more than once reads as absent (see {@link #conditionalField}).
 */
public final class Request {
    private final Method method;
    private final HttpVersion version;
    private final String requestLine;
    private final String target;
    private final String host;
    private final boolean keepAliveRequested;
    private final long contentLength;
    private final String ifMatch;
    private final String ifNoneMatch;
    private final String ifModifiedSince;
    private final String ifUnmodifiedSince;
    private final String ifRange;
    private final String range;
    private final String acceptEncoding;
    private final String referer;
    private final String userAgent;

    Request(Method method, HttpVersion version, String requestLine, String target, Fields fields,
            boolean keepAliveRequested, long contentLength) {
        this.method = method;
        this.version = version;
        this.requestLine = requestLine;
        this.target = target;
        this.host = fields.first(KnownHeader.HOST);
        this.keepAliveRequested = keepAliveRequested;
        this.contentLength = contentLength;
        this.ifMatch = fields.first(KnownHeader.IF_MATCH);
        this.ifNoneMatch = fields.first(KnownHeader.IF_NONE_MATCH);
        this.ifModifiedSince = conditionalField(fields, KnownHeader.IF_MODIFIED_SINCE);
        this.ifUnmodifiedSince = conditionalField(fields, KnownHeader.IF_UNMODIFIED_SINCE);
        // A repeated If-Range cannot be evaluated; a repeated Range cannot be trusted: serve the whole.
        boolean rangeTrusted = fields.count(KnownHeader.IF_RANGE) <= 1 && fields.count(KnownHeader.RANGE) <= 1;
        this.ifRange = rangeTrusted ? fields.first(KnownHeader.IF_RANGE) : null;
        this.range = rangeTrusted ? fields.first(KnownHeader.RANGE) : null;
        this.acceptEncoding = fields.first(KnownHeader.ACCEPT_ENCODING);
        this.referer = fields.first(KnownHeader.REFERER);
        this.userAgent = fields.first(KnownHeader.USER_AGENT);
    }

    /** RFC 9110 13.1.3/13.1.4: a date field that appears more than once is not a valid date, and is ignored. */
    private static String conditionalField(Fields fields, KnownHeader header) {
        return fields.count(header) == 1 ? fields.first(header) : null;
    }

    public Method method() {
        return method;
    }

    public HttpVersion version() {
        return version;
    }

    /** The request line as received, without its line ending: the access log's {@code $request}. */
    public String requestLine() {
        return requestLine;
    }

    /** The request target as received (origin-form {@code /path?query}, or absolute-form). */
    public String target() {
        return target;
    }

    /** The Host field, or null (only an HTTP/1.0 request may lack it). */
    public String host() {
        return host;
    }

    /**
     * Whether the client asked to keep the connection: HTTP/1.1 unless {@code Connection: close};
     * HTTP/1.0 only with {@code Connection: keep-alive}.
     */
    public boolean keepAliveRequested() {
        return keepAliveRequested;
    }

    /** The body's length to read and discard; 0 when there is none. */
    public long contentLength() {
        return contentLength;
    }

    public String ifMatch() {
        return ifMatch;
    }

    public String ifNoneMatch() {
        return ifNoneMatch;
    }

    public String ifModifiedSince() {
        return ifModifiedSince;
    }

    public String ifUnmodifiedSince() {
        return ifUnmodifiedSince;
    }

    public String ifRange() {
        return ifRange;
    }

    public String range() {
        return range;
    }

    public String acceptEncoding() {
        return acceptEncoding;
    }

    /** The Referer field (kept only when there is an access log), or null. */
    public String referer() {
        return referer;
    }

    /** The User-Agent field (kept only when there is an access log), or null. */
    public String userAgent() {
        return userAgent;
    }

    @Override
    public String toString() {
        return "Request[" + requestLine + "]";
    }

    /** The known fields of one head as they are parsed. Not thread-safe: one parser's. */
    static final class Fields {
        private final String[] values = new String[KnownHeader.values().length];
        private final int[] counts = new int[values.length];
        private int used; // a bit per field seen, so that clearing touches only those

        void add(KnownHeader header, String value) {
            int i = header.ordinal();
            counts[i]++;
            used |= 1 << i;
            if (values[i] == null) {
                values[i] = value;
            } else if (header.kind == KnownHeader.Kind.LIST) {
                values[i] = values[i] + ", " + value;
            }
        }

        String first(KnownHeader header) {
            return values[header.ordinal()];
        }

        int count(KnownHeader header) {
            return counts[header.ordinal()];
        }

        void clear() {
            for (int bits = used; bits != 0; bits &= bits - 1) {
                int i = Integer.numberOfTrailingZeros(bits);
                values[i] = null;
                counts[i] = 0;
            }
            used = 0;
        }
    }
}
