package io.fdloop.internal.http.request;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request target reduced to the path it names below the served root: percent-decoded, dot segments
 * removed (RFC 3986 5.2.4), repeated slashes merged, query set aside. It can never climb above the root:
 * {@code ..} at the top is dropped, as RFC 3986 says.
 *
 * <p><b>Immutable; any thread.</b>
 *
 * <p>Decoding comes first, then dot-segment removal, so {@code %2e%2e} is removed like {@code ..}.
 * That order is safe only because decoding never creates a separator: {@code %2F} and {@code %5C}
 * (an encoded slash or backslash) are refused rather than decoded, as are a raw backslash, {@code %00}
 * and other encoded control bytes, malformed escapes, bytes that are not UTF-8, and a fragment.
 */
public final class RequestPath {
    private final String path;
    private final boolean trailingSlash;
    private final String query;
    private List<String> segments; // computed when first asked for (off the loop, by the resolver)

    private RequestPath(List<String> segments, boolean trailingSlash, String query) {
        this.segments = List.copyOf(segments);
        this.trailingSlash = trailingSlash || segments.isEmpty();
        this.query = query;
        StringBuilder sb = new StringBuilder();
        for (String segment : segments) {
            sb.append('/').append(segment);
        }
        if (this.trailingSlash) {
            sb.append('/');
        }
        this.path = sb.toString();
    }

    /** A path already in normal form ({@link #isNormal}). */
    private RequestPath(String normalPath, String query) {
        this.path = normalPath;
        this.trailingSlash = normalPath.endsWith("/");
        this.query = query;
    }

    /** A decoded path, or why the target cannot name one. */
    public record Outcome(RequestPath path, String problem) {
    }

    /** Decodes and normalises a request target (origin-form or absolute-form). Any thread. */
    public static Outcome decode(String target) {
        int pathStart;
        if (target.startsWith("/")) {
            pathStart = 0;
        } else if (target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)) {
            int authorityStart = target.indexOf("//") + 2;
            int authorityEnd = authorityStart;
            while (authorityEnd < target.length() && target.charAt(authorityEnd) != '/'
                    && target.charAt(authorityEnd) != '?') {
                authorityEnd++;
            }
            if (authorityEnd == authorityStart) {
                return bad("absolute-form target without a host");
            }
            if (target.substring(authorityStart, authorityEnd).indexOf('@') >= 0) {
                return bad("userinfo in the request target");
            }
            pathStart = authorityEnd;
        } else {
            return bad("target is neither origin-form (/path) nor absolute-form (http://host/path)");
        }
        if (target.indexOf('#') >= 0) {
            return bad("fragment in the request target");
        }
        int question = target.indexOf('?', pathStart);
        int pathEnd = question < 0 ? target.length() : question;
        String query = question < 0 ? null : target.substring(question + 1);
        String decoded = percentDecode(target, pathStart, pathEnd);
        if (decoded == null) {
            return bad(decodeProblem(target, pathStart, pathEnd));
        }
        RequestPath path = isNormal(decoded) ? new RequestPath(decoded, query) : normalise(decoded, query);
        return new Outcome(path, null);
    }

    /** Whether a decoded path needs no normalising: it starts with a slash and has no empty, . or .. segment. */
    static boolean isNormal(String p) {
        int n = p.length();
        if (n == 0 || p.charAt(0) != '/') {
            return false;
        }
        int segmentStart = 1;
        for (int i = 1; i <= n; i++) {
            if (i == n || p.charAt(i) == '/') {
                int length = i - segmentStart;
                if ((length == 0 && i != n) || (length == 1 && p.charAt(segmentStart) == '.')
                        || (length == 2 && p.charAt(segmentStart) == '.' && p.charAt(segmentStart + 1) == '.')) {
                    return false;
                }
                segmentStart = i + 1;
            }
        }
        return true;
    }

    private static Outcome bad(String problem) {
        return new Outcome(null, problem);
    }

    /** The decoded path of {@code target[from, to)}, or null when it is refused. */
    private static String percentDecode(String target, int from, int to) {
        boolean plain = true;
        for (int i = from; i < to; i++) {
            char c = target.charAt(i);
            if (c == '%' || c >= 0x80) {
                plain = false;
            } else if (c == '\\') {
                return null;
            }
        }
        if (plain) {
            return from == to ? "/" : target.substring(from, to);
        }
        byte[] bytes = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = target.charAt(i);
            int b;
            if (c == '%') {
                if (i + 2 >= to) {
                    return null;
                }
                int hi = Ascii.hexValue(target.charAt(i + 1));
                int lo = Ascii.hexValue(target.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    return null;
                }
                b = hi << 4 | lo;
                if (b == '/' || b == '\\' || b < 0x20 || b == 0x7f) {
                    return null;
                }
                i += 2;
            } else {
                b = c;
            }
            bytes[n++] = (byte) b;
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n));
            String s = chars.toString();
            return s.isEmpty() ? "/" : s;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Why {@link #percentDecode} refused: re-derived only on the error path. */
    private static String decodeProblem(String target, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = target.charAt(i);
            if (c == '\\') {
                return "backslash in the path";
            }
            if (c == '%') {
                if (i + 2 >= to) {
                    return "truncated percent-escape";
                }
                int hi = Ascii.hexValue(target.charAt(i + 1));
                int lo = Ascii.hexValue(target.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    return "malformed percent-escape";
                }
                int b = hi << 4 | lo;
                if (b == 0) {
                    return "encoded NUL (%00) in the path";
                }
                if (b == '/') {
                    return "encoded slash (%2F) in a path segment";
                }
                if (b == '\\') {
                    return "encoded backslash (%5C) in the path";
                }
                if (b < 0x20 || b == 0x7f) {
                    return "encoded control byte in the path";
                }
                i += 2;
            }
        }
        return "path is not UTF-8";
    }

    /** RFC 3986 5.2.4 on an absolute path, with empty segments merged. */
    private static RequestPath normalise(String decoded, String query) {
        List<String> out = new ArrayList<>();
        boolean trailing = false;
        int start = decoded.startsWith("/") ? 1 : 0;
        while (start <= decoded.length()) {
            int slash = decoded.indexOf('/', start);
            int end = slash < 0 ? decoded.length() : slash;
            String segment = decoded.substring(start, end);
            boolean last = slash < 0;
            switch (segment) {
                case "", "." -> trailing = last;
                case ".." -> {
                    if (!out.isEmpty()) {
                        out.removeLast();
                    }
                    trailing = last;
                }
                default -> {
                    out.add(segment);
                    trailing = false;
                }
            }
            if (last) {
                break;
            }
            start = end + 1;
        }
        return new RequestPath(out, trailing, query);
    }

    /** The normalised path, starting with {@code /}; a directory's ends with {@code /}. */
    public String path() {
        return path;
    }

    /** The path's segments, none empty, none {@code .} or {@code ..}, none containing {@code /} or NUL. */
    public List<String> segments() {
        List<String> s = segments;
        if (s == null) {
            List<String> split = new ArrayList<>();
            int start = 1;
            while (start < path.length()) {
                int slash = path.indexOf('/', start);
                int end = slash < 0 ? path.length() : slash;
                split.add(path.substring(start, end));
                start = end + 1;
            }
            s = List.copyOf(split); // immutable: a racing second computation publishes an equal list safely
            segments = s;
        }
        return s;
    }

    /** Whether the path ends with a slash (the root always does). */
    public boolean trailingSlash() {
        return trailingSlash;
    }

    /** The query as received (without {@code ?}), or null; a static server ignores it but keeps it for redirects. */
    public String query() {
        return query;
    }

    /** Whether a segment starts with a dot: a hidden file or directory on the way. */
    public boolean hasDotSegment() {
        return path.contains("/.");
    }

    /** This path with a slash appended. */
    public RequestPath withTrailingSlash() {
        return new RequestPath(segments(), true, query);
    }

    /**
     * This path as a URI path again, percent-encoded where RFC 3986 requires it (as UTF-8), with the
     * received query: what a redirect's {@code Location} carries.
     */
    public String toUri() {
        StringBuilder sb = new StringBuilder(path.length() + 16);
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        for (byte raw : bytes) {
            int b = raw & 0xff;
            if (isPathChar(b)) {
                sb.append((char) b);
            } else {
                appendEscape(sb, b);
            }
        }
        if (query != null) {
            sb.append('?');
            for (int i = 0; i < query.length(); i++) {
                int c = query.charAt(i);
                if (isPathChar(c) || c == '?' || c == '%') {
                    sb.append((char) c);
                } else {
                    appendEscape(sb, c & 0xff);
                }
            }
        }
        return sb.toString();
    }

    /** unreserved / sub-delims / ":" / "@" / "/" (RFC 3986 3.3). */
    private static boolean isPathChar(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || "-._~!$&'()*+,;=:@/".indexOf(b) >= 0;
    }

    static void appendEscape(StringBuilder sb, int b) {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestPath other && path.equals(other.path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path;
    }
}
