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

    HeadBuilder status(int code) {
        ascii("HTTP/1.1 ");
        number(code);
        ascii(" ");
        ascii(Status.reason(code));
        crlf();
        return this;
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

    /** Ends the head and returns its bytes; the builder is empty again. */
    MemorySegment finish() {
        crlf();
        MemorySegment head = MemorySegment.ofArray(Arrays.copyOf(buf, size)).asReadOnly();
        size = 0;
        return head;
    }

    private void crlf() {
        ensure(2);
        buf[size++] = '\r';
        buf[size++] = '\n';
    }

    void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[size++] = (byte) s.charAt(i);
        }
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
