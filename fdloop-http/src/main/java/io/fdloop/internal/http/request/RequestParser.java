package io.fdloop.internal.http.request;

import io.fdloop.http.ServerOptions;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Finds and parses request heads in a connection's input, incrementally: the bytes may stop anywhere
 * (in the middle of a line ending too), and a call resumes the scan where the last one stopped.
 *
 * <p><b>Not thread-safe</b>: one parser per connection, on its loop thread.
 *
 * <p>{@link #parse} scans {@code buf[from, to)}, which must start at the head's first byte and only
 * grow between calls for the same head (the caller may move the bytes, as long as {@code from} moves
 * with them). It returns the head's length once its empty line has arrived, {@link #NEED_MORE}, or
 * {@link #REJECTED}. Limits are checked as bytes arrive, so an oversized or garbage head is refused
 * without waiting for its end.
 *
 * <p>What is refused (RFC 9112, and what request smuggling relies on):
 * <ul>
 *   <li>400: a request line that is not {@code method SP target SP HTTP/d.d} with single spaces; control
 *       bytes in the target; a bare CR; obs-fold (a line starting with whitespace); whitespace between a
 *       field name and its colon; a field line without a colon or with control bytes in its value; a
 *       missing, repeated or malformed {@code Host} on HTTP/1.1 (a repeated or malformed one on 1.0);
 *       {@code Content-Length} repeated, or not a plain decimal; {@code Transfer-Encoding} together with
 *       {@code Content-Length}, or on HTTP/1.0.</li>
 *   <li>411: {@code Transfer-Encoding: chunked}. A GET or HEAD body has no meaning, so the server does not
 *       decode chunked bodies; without decoding it the next request cannot be found, so the answer asks
 *       for a length and the connection closes (nginx answered 411 to chunked bodies until 1.3.9; later
 *       versions read and discard them).</li>
 *   <li>413: a {@code Content-Length} above {@link ServerOptions#maxDiscardedBodyBytes()}.</li>
 *   <li>414: a target longer than {@link ServerOptions#maxTargetBytes()}; 431: a head larger than
 *       {@link ServerOptions#maxHeaderBytes()}.</li>
 *   <li>501: any other transfer coding; a method token longer than any known method.</li>
 *   <li>505: a well-formed version other than HTTP/1.0 and HTTP/1.1.</li>
 * </ul>
 * A request with a body and {@code Expect: 100-continue} is answered without a 100 (Continue) and ends
 * its connection: whether the body follows the answer cannot be known.
 * A bare LF is accepted as a line ending (RFC 9112 2.2 allows it, as nginx does).
 */
public final class RequestParser {
    /** {@link #parse} found no complete head yet. */
    public static final int NEED_MORE = 0;
    /** {@link #parse} refused the head: {@link #rejection()} says why. */
    public static final int REJECTED = -1;

    private static final int MAX_METHOD_LENGTH = 32;
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_LOGGED_LINE = 4096;

    private final int maxHeaderBytes;
    private final int maxTargetBytes;
    private final long maxBodyBytes;
    private final boolean keepLogFields;
    private final Request.Fields fields = new Request.Fields();

    // Scan state of the head being read, as offsets from its first byte.
    private int scanned;
    private int lineStart;
    private int firstLineEnd = -1;
    private int firstSpace = -1;
    private int secondSpace = -1;
    private int[] lineEnds = new int[32]; // the LF of each field line, once the request line has ended
    private int lines;

    private Request request;
    private Rejection rejection;

    public RequestParser(ServerOptions options) {
        this.maxHeaderBytes = options.maxHeaderBytes();
        this.maxTargetBytes = options.maxTargetBytes();
        this.maxBodyBytes = options.maxDiscardedBodyBytes();
        this.keepLogFields = options.accessLog().isPresent();
    }

    /**
     * The offset of the first byte after the empty lines at {@code buf[from, to)} (RFC 9112 2.2: a server
     * ignores empty lines before a request line). A CR at {@code to - 1} is kept: its LF may follow.
     */
    public static int skipEmptyLines(byte[] buf, int from, int to) {
        int i = from;
        while (i < to) {
            if (buf[i] == '\n') {
                i++;
            } else if (buf[i] == '\r' && i + 1 < to && buf[i + 1] == '\n') {
                i += 2;
            } else {
                break;
            }
        }
        return i;
    }

    /** Whether part of a head has been scanned and the rest is awaited. */
    public boolean inHead() {
        return scanned > 0;
    }

    /** The request the last successful {@link #parse} found. */
    public Request request() {
        return request;
    }

    /** Why the last {@link #parse} returned {@link #REJECTED}. */
    public Rejection rejection() {
        return rejection;
    }

    /**
     * Scans {@code buf[from, to)} for one request head; see the class comment. One pass over the bytes
     * checks them and notes where lines end; the head is parsed from those notes once it is complete.
     *
     * @return the head's length in bytes, {@link #NEED_MORE} or {@link #REJECTED}
     */
    public int parse(byte[] buf, int from, int to) {
        int n = to - from;
        int limit = Math.min(n, maxHeaderBytes);
        int i = scanned;
        if (firstLineEnd < 0) {
            while (i < limit) {
                int b = buf[from + i] & 0xff;
                if (b == '\n') {
                    firstLineEnd = i;
                    lineStart = i + 1;
                    i++;
                    break;
                }
                if (b == '\r') {
                    if (i + 1 == n) {
                        scanned = i; // its LF may be in the next chunk: look at this CR again then
                        return NEED_MORE;
                    }
                    if (buf[from + i + 1] != '\n') {
                        return reject(400, "bare CR", buf, from, i);
                    }
                } else {
                    int problem = scanRequestLineByte(b, i);
                    if (problem != 0) {
                        return reject(problem, problem == 414 ? "request target too long"
                                : problem == 501 ? "method longer than any known" : "malformed method", buf, from, i);
                    }
                }
                i++;
            }
            if (firstLineEnd < 0) {
                return tooLargeOrMore(buf, from, i, n);
            }
        }
        while (i < limit) {
            while (i + 8 <= limit && !hasControlByte((long) WORDS.get(buf, from + i))) {
                i += 8; // eight ordinary bytes at once
            }
            if (i == limit) {
                break;
            }
            int b = buf[from + i] & 0xff;
            if (b >= 0x20 && b != 0x7f) {
                i++;
                continue;
            }
            if (b == '\n') {
                if (i == lineStart || (i == lineStart + 1 && buf[from + lineStart] == '\r')) {
                    int result = parseHead(buf, from, i + 1);
                    resetScan();
                    return result;
                }
                if (lines == lineEnds.length) {
                    lineEnds = java.util.Arrays.copyOf(lineEnds, lines * 2);
                }
                lineEnds[lines++] = i;
                lineStart = i + 1;
            } else if (b == '\r') {
                if (i + 1 == n) {
                    scanned = i;
                    return NEED_MORE;
                }
                if (buf[from + i + 1] != '\n') {
                    return reject(400, "bare CR", buf, from, i);
                }
            } else if (b != '\t') {
                return reject(400, "control byte in a field line", buf, from, i);
            }
            i++;
        }
        return tooLargeOrMore(buf, from, i, n);
    }

    /**
     * Whether one of the eight bytes of {@code word} is below 0x20 or is 0x7F (DEL): the byte-wise
     * "has less than" and "has zero" tests of Hacker's Delight (6-1). They never miss such a byte; a
     * false alarm only sends the scan through the bytes one by one.
     */
    private static boolean hasControlByte(long word) {
        long below = (word - 0x2020202020202020L) & ~word;
        long del = word ^ 0x7f7f7f7f7f7f7f7fL;
        long isDel = (del - 0x0101010101010101L) & ~del;
        return ((below | isDel) & 0x8080808080808080L) != 0;
    }

    /** At {@code i}, scanning stopped: past the size limit (414 or 431), or at the end of the input. */
    private int tooLargeOrMore(byte[] buf, int from, int i, int n) {
        if (i >= maxHeaderBytes && n > maxHeaderBytes) {
            boolean inTarget = firstLineEnd < 0 && firstSpace >= 0 && secondSpace < 0;
            return reject(inTarget ? 414 : 431, inTarget ? "request target too long" : "request head too large",
                    buf, from, i);
        }
        scanned = i;
        return NEED_MORE;
    }

    /** Checks one byte of the request line as it arrives: 0, or the status refusing it. */
    private int scanRequestLineByte(int b, int i) {
        if (firstSpace < 0) {
            if (b == ' ') {
                firstSpace = i;
            } else if (!Ascii.isTchar(b)) {
                return 400;
            } else if (i >= MAX_METHOD_LENGTH) {
                return 501;
            }
        } else if (secondSpace < 0) {
            if (b == ' ') {
                secondSpace = i;
            } else if (i - firstSpace > maxTargetBytes) {
                return 414;
            }
        }
        return 0;
    }

    private void resetScan() {
        scanned = 0;
        lineStart = 0;
        firstLineEnd = -1;
        firstSpace = -1;
        secondSpace = -1;
        lines = 0;
    }

    private int reject(int status, String reason, byte[] buf, int from, int scannedTo) {
        int lineEnd = firstLineEnd >= 0 ? firstLineEnd : scannedTo;
        rejection = new Rejection(status, reason, lineForLog(buf, from, lineEnd));
        resetScan();
        fields.clear();
        return REJECTED;
    }

    private static String lineForLog(byte[] buf, int from, int lineEnd) {
        int end = lineEnd;
        if (end > 0 && buf[from + end - 1] == '\r') {
            end--;
        }
        return end <= 0 ? null : new String(buf, from, Math.min(end, MAX_LOGGED_LINE), StandardCharsets.ISO_8859_1);
    }

    /**
     * Parses the complete head {@code buf[from, from + length)} from the scan's notes: the request line
     * ends at {@link #firstLineEnd} with its spaces at {@link #firstSpace} and {@link #secondSpace}; the
     * field lines end at {@link #lineEnds}. Every byte has already been checked for control bytes.
     */
    private int parseHead(byte[] buf, int from, int length) {
        int lineEnd = firstLineEnd;
        int lineLength = lineEnd > 0 && buf[from + lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        String requestLine = new String(buf, from, lineLength, StandardCharsets.ISO_8859_1);
        int sp1 = firstSpace;
        int sp2 = secondSpace;
        if (sp1 <= 0 || sp2 < 0 || sp2 == sp1 + 1 || sp2 >= lineLength) {
            return refuse(400, "request line is not method SP target SP version", requestLine);
        }
        int targetLength = sp2 - sp1 - 1;
        if (targetLength > maxTargetBytes) {
            return refuse(414, "request target too long", requestLine);
        }
        for (int i = from + sp1 + 1; i < from + sp2; i++) {
            int b = buf[i] & 0xff;
            if (b <= 0x20 || b == 0x7f) {
                return refuse(400, "control byte in the request target", requestLine);
            }
        }
        int versionAt = from + sp2 + 1;
        int versionLength = lineLength - sp2 - 1;
        if (versionLength != 8 || buf[versionAt] != 'H' || buf[versionAt + 1] != 'T' || buf[versionAt + 2] != 'T'
                || buf[versionAt + 3] != 'P' || buf[versionAt + 4] != '/' || !Ascii.isDigit(buf[versionAt + 5])
                || buf[versionAt + 6] != '.' || !Ascii.isDigit(buf[versionAt + 7])) {
            return refuse(400, "malformed HTTP version", requestLine);
        }
        HttpVersion version;
        if (buf[versionAt + 5] == '1' && buf[versionAt + 7] == '1') {
            version = HttpVersion.HTTP_1_1;
        } else if (buf[versionAt + 5] == '1' && buf[versionAt + 7] == '0') {
            version = HttpVersion.HTTP_1_0;
        } else {
            return refuse(505, "HTTP version not supported", requestLine);
        }
        Method method = Method.of(buf, from, sp1);
        String target = new String(buf, from + sp1 + 1, targetLength, StandardCharsets.ISO_8859_1);

        String problem = parseFields(buf, from, from + lineEnd + 1);
        if (problem != null) {
            return refuse(400, problem, requestLine);
        }
        return finish(method, version, requestLine, target) == REJECTED ? REJECTED : length;
    }

    /** Parses the field lines noted in {@link #lineEnds} into {@link #fields}; null, or what was wrong. */
    private String parseFields(byte[] buf, int from, int firstField) {
        int line = firstField;
        for (int k = 0; k < lines; k++) {
            int lf = from + lineEnds[k];
            int lineEnd = buf[lf - 1] == '\r' ? lf - 1 : lf;
            int first = buf[line];
            if (first == ' ' || first == '\t') {
                return "obs-fold (a field line starting with whitespace)";
            }
            int colon = line;
            while (colon < lineEnd && buf[colon] != ':') {
                if (!Ascii.isTchar(buf[colon])) {
                    return Ascii.isOws(buf[colon]) ? "whitespace between a field name and its colon"
                            : "invalid character in a field name";
                }
                colon++;
            }
            if (colon == lineEnd) {
                return "field line without a colon";
            }
            if (colon == line) {
                return "empty field name";
            }
            KnownHeader known = KnownHeader.find(buf, line, colon - line);
            if (known != null && (keepLogFields || !known.onlyLogged())) {
                int valueStart = colon + 1;
                int valueEnd = lineEnd;
                while (valueStart < valueEnd && Ascii.isOws(buf[valueStart])) {
                    valueStart++;
                }
                while (valueEnd > valueStart && Ascii.isOws(buf[valueEnd - 1])) {
                    valueEnd--;
                }
                fields.add(known, new String(buf, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1));
            }
            line = lf + 1;
        }
        return null;
    }

    /** Checks Host and the message framing, then builds the request. */
    private int finish(Method method, HttpVersion version, String requestLine, String target) {
        int hosts = fields.count(KnownHeader.HOST);
        if (hosts > 1) {
            return refuse(400, "more than one Host", requestLine);
        }
        if (hosts == 0 && version == HttpVersion.HTTP_1_1) {
            return refuse(400, "HTTP/1.1 request without Host", requestLine);
        }
        if (hosts == 1 && !validHost(fields.first(KnownHeader.HOST))) {
            return refuse(400, "malformed Host", requestLine);
        }
        String transferEncoding = fields.first(KnownHeader.TRANSFER_ENCODING);
        int contentLengths = fields.count(KnownHeader.CONTENT_LENGTH);
        if (transferEncoding != null) {
            if (version == HttpVersion.HTTP_1_0) {
                return refuse(400, "Transfer-Encoding on HTTP/1.0", requestLine);
            }
            if (contentLengths > 0) {
                return refuse(400, "both Transfer-Encoding and Content-Length", requestLine);
            }
            if (Ascii.equalsIgnoreCase(transferEncoding, "chunked")) {
                return refuse(411, "chunked request body", requestLine);
            }
            return refuse(501, "unsupported Transfer-Encoding", requestLine);
        }
        long contentLength = 0;
        if (contentLengths > 1) {
            return refuse(400, "more than one Content-Length", requestLine);
        }
        if (contentLengths == 1) {
            contentLength = parseLength(fields.first(KnownHeader.CONTENT_LENGTH));
            if (contentLength < 0) {
                return refuse(400, "malformed Content-Length", requestLine);
            }
            if (contentLength > maxBodyBytes) {
                return refuse(413, "request body larger than allowed", requestLine);
            }
        }
        boolean keepAlive = keepAlive(version, fields.first(KnownHeader.CONNECTION));
        String expect = fields.first(KnownHeader.EXPECT);
        if (expect != null && contentLength > 0 && expect.regionMatches(true, 0, "100-continue", 0, 12)) {
            // The client holds the body back until a 100 (Continue) this server never sends: after the final
            // answer it may send the body or the next request, so the connection ends with the answer.
            keepAlive = false;
        }
        request = new Request(method, version, requestLine, target, fields, keepAlive, contentLength);
        fields.clear();
        return 1;
    }

    private int refuse(int status, String reason, String requestLine) {
        String logged = requestLine.length() > MAX_LOGGED_LINE ? requestLine.substring(0, MAX_LOGGED_LINE) : requestLine;
        rejection = new Rejection(status, reason, logged.isEmpty() ? null : logged);
        fields.clear();
        return REJECTED;
    }

    /** 1*DIGIT, at most 18 of them; -1 otherwise. */
    private static long parseLength(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static boolean keepAlive(HttpVersion version, String connection) {
        boolean close = false;
        boolean keepAlive = false;
        if (connection != null) {
            int start = 0;
            int n = connection.length();
            while (start <= n) {
                int comma = connection.indexOf(',', start);
                int end = comma < 0 ? n : comma;
                int a = start;
                int b = end;
                while (a < b && Ascii.isOws(connection.charAt(a))) {
                    a++;
                }
                while (b > a && Ascii.isOws(connection.charAt(b - 1))) {
                    b--;
                }
                if (b - a == 5 && connection.regionMatches(true, a, "close", 0, 5)) {
                    close = true;
                } else if (b - a == 10 && connection.regionMatches(true, a, "keep-alive", 0, 10)) {
                    keepAlive = true;
                }
                start = end + 1;
            }
        }
        if (close) {
            return false;
        }
        return version == HttpVersion.HTTP_1_1 || keepAlive;
    }

    private static final boolean[] HOST_CHAR = new boolean[128];

    static {
        for (char c : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~%!$&'()*+,;=:[]".toCharArray()) {
            HOST_CHAR[c] = true;
        }
    }

    /** uri-host [":" port] (RFC 3986 3.2.2): reg-name or IP-literal characters only, not empty. */
    private static boolean validHost(String host) {
        if (host.isEmpty()) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c >= 128 || !HOST_CHAR[c]) {
                return false;
            }
        }
        return true;
    }
}
