package io.fdloop.internal.http.response;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Writes a response head as bytes: status line, fields, empty line. Strings are written one byte per
 * char (every value written here is ASCII by construction).
 *
 * <p><b>Not thread-safe</b>: one per planner, reused for each head.
 */
final class HeadBuilder {
    private byte[] buf = new byte[512];
    private int size;

    private static final byte[][] STATUS_LINES = new byte[600][];

    static {
        for (int code : new int[] {200, 206, 301, 304, 400, 403, 404, 405, 408, 411, 412, 413, 414, 416, 431, 500,
                501, 503, 505}) {
            STATUS_LINES[code] = ("HTTP/1.1 " + code + " " + Status.reason(code) + "\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    HeadBuilder status(int code) {
        byte[] line = code >= 0 && code < STATUS_LINES.length ? STATUS_LINES[code] : null;
        if (line == null) {
            throw new IllegalArgumentException("fdloop-http does not answer with status " + code);
        }
        return bytes(line);
    }

    /** Appends bytes formatted before (a field line or several, with their CRLFs). */
    HeadBuilder bytes(byte[] formatted) {
        ensure(formatted.length);
        System.arraycopy(formatted, 0, buf, size, formatted.length);
        size += formatted.length;
        return this;
    }

    /** The bytes written since {@code mark}, for formatting once and appending again with {@link #bytes}. */
    byte[] since(int mark) {
        return Arrays.copyOfRange(buf, mark, size);
    }

    int mark() {
        return size;
    }

    HeadBuilder field(String name, String value) {
        ascii(name);
        ascii(": ");
        ascii(value);
        crlf();
        return this;
    }

    HeadBuilder field(String name, long value) {
        ascii(name);
        ascii(": ");
        number(value);
        crlf();
        return this;
    }

    /** Ends the head and returns its bytes (a heap segment the transport only reads); the builder is empty again. */
    MemorySegment finish() {
        crlf();
        MemorySegment head = MemorySegment.ofArray(Arrays.copyOf(buf, size));
        size = 0;
        return head;
    }

    private void crlf() {
        ensure(2);
        buf[size++] = '\r';
        buf[size++] = '\n';
    }

    void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[size + i] = (byte) s.charAt(i);
        }
        size += n;
    }

    void number(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("a header number must be >= 0, was " + n);
        }
        ensure(20);
        int start = size;
        do {
            buf[size++] = (byte) ('0' + n % 10);
            n /= 10;
        } while (n != 0);
        for (int i = start, j = size - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
