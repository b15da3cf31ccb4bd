package io.fdloop.internal.http.request;

/**
 * Request methods: the two a static-file server serves, the others HTTP and WebDAV define (answered
 * 405 with {@code Allow: GET, HEAD}), and {@link #UNKNOWN} for any other token (answered 501).
 * Methods are case-sensitive (RFC 9110 9.1): {@code get} is unknown.
 *
 * <p><b>Immutable; any thread.</b>
 */
public enum Method {
    GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH,
    PROPFIND, PROPPATCH, MKCOL, COPY, MOVE, LOCK, UNLOCK,
    /** A syntactically valid method token this server does not know. */
    UNKNOWN;

    private static final Method[] KNOWN = {GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH,
            PROPFIND, PROPPATCH, MKCOL, COPY, MOVE, LOCK, UNLOCK};

    /** The method spelled by {@code buf[off, off + len)}, exactly, or {@link #UNKNOWN}. */
    public static Method of(byte[] buf, int off, int len) {
        if (len == 3 && buf[off] == 'G' && buf[off + 1] == 'E' && buf[off + 2] == 'T') {
            return GET;
        }
        for (Method m : KNOWN) {
            String name = m.name();
            if (name.length() == len && matches(buf, off, name)) {
                return m;
            }
        }
        return UNKNOWN;
    }

    private static boolean matches(byte[] buf, int off, String name) {
        for (int i = 0; i < name.length(); i++) {
            if (buf[off + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a static-file server answers this method with a representation: GET and HEAD. */
    public boolean isServed() {
        return this == GET || this == HEAD;
    }
}
