package io.fdloop.internal.http.log;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One access log line in nginx's {@code combined} format:
 * <pre>
 * $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"
 * </pre>
 * ({@code $remote_user} is always {@code -}: there is no authentication), escaped as nginx's default
 * {@code escape=default}: {@code "}, {@code \}, bytes below 0x20 and from 0x7F up become {@code \xHH}
 * (upper-case hex), and an absent or empty value is written {@code -}. Values are taken one byte per
 * char, as the request's bytes were read (ISO-8859-1); a char above 0xFF is escaped as its UTF-8 bytes.
 *
 * <p><b>Not thread-safe</b>: one formatter per loop; it reuses its line buffer.
 */
public final class CombinedLogFormat {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private byte[] line = new byte[512];
    private int size;

    /** Formats a line (ending with {@code \n}); read it with {@link #bytes()} and {@link #length()}. */
    public CombinedLogFormat format(String remoteAddress, String timeLocal, String request, int status,
                                    long bodyBytesSent, String referer, String userAgent) {
        size = 0;
        escaped(remoteAddress);
        raw(" - - [");
        raw(timeLocal);
        raw("] \"");
        escaped(request);
        raw("\" ");
        raw(Integer.toString(status));
        raw(" ");
        raw(Long.toString(bodyBytesSent));
        raw(" \"");
        escaped(referer);
        raw("\" \"");
        escaped(userAgent);
        raw("\"\n");
        return this;
    }

    /** The line's bytes: {@code bytes()[0, length())}. */
    public byte[] bytes() {
        return line;
    }

    public int length() {
        return size;
    }

    /** The line as text (tests, diagnostics). */
    @Override
    public String toString() {
        return new String(line, 0, size, StandardCharsets.ISO_8859_1);
    }

    private void raw(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            line[size++] = (byte) s.charAt(i);
        }
    }

    private void escaped(String s) {
        if (s == null || s.isEmpty()) {
            ensure(1);
            line[size++] = '-';
            return;
        }
        ensure(s.length() * 4);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xff) {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                ensure(utf8.length * 4);
                for (byte b : utf8) {
                    escape(b & 0xff);
                }
            } else if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f) {
                escape(c);
            } else {
                line[size++] = (byte) c;
            }
        }
    }

    private void escape(int b) {
        ensure(4);
        line[size++] = '\\';
        line[size++] = 'x';
        line[size++] = HEX[b >> 4];
        line[size++] = HEX[b & 0xf];
    }

    private void ensure(int more) {
        if (size + more > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, size + more));
        }
    }
}
