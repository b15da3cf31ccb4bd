package io.fdloop.internal.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** One response as the client received it, parsed independently of the engine. */
record Response(int status, String statusLine, List<String[]> fields, byte[] body, byte[] raw) {
    /** Parses the bytes of exactly one response: a head, then everything else as the body. */
    static Response parse(byte[] raw) {
        int headEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (headEnd < 0) {
            throw new AssertionError("no end of head in " + new String(raw, StandardCharsets.ISO_8859_1));
        }
        String head = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n", -1);
        String statusLine = lines[0];
        if (!statusLine.matches("HTTP/1\\.1 \\d{3} [A-Za-z -]+")) {
            throw new AssertionError("malformed status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        List<String[]> fields = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0 || lines[i].charAt(colon + 1) != ' ') {
                throw new AssertionError("malformed field line: " + lines[i]);
            }
            fields.add(new String[] {lines[i].substring(0, colon), lines[i].substring(colon + 2)});
        }
        return new Response(status, statusLine, fields, Arrays.copyOfRange(raw, headEnd + 4, raw.length), raw);
    }

    /** The one value of a field (case-insensitive name), or null; fails if it appears twice. */
    String header(String name) {
        String found = null;
        for (String[] f : fields) {
            if (f[0].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                if (found != null) {
                    throw new AssertionError(name + " appears twice");
                }
                found = f[1];
            }
        }
        return found;
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public String toString() {
        return new String(raw, 0, Math.min(raw.length, 600), StandardCharsets.ISO_8859_1);
    }
}
