package io.fdloop.internal.http.response;

import io.fdloop.internal.http.files.ContentCoding;
import io.fdloop.internal.http.files.StaticFile;
import io.fdloop.internal.http.request.Ascii;

/**
 * Chooses the representation to send from {@code Accept-Encoding} (RFC 9110 12.5.3): the stored coding
 * with the highest q-value above 0; ties go to {@code br}, then {@code gzip}, then identity. A coding
 * not listed takes the q of {@code *} if given, else 0, except identity, which stays acceptable unless
 * refused by {@code identity;q=0} or {@code *;q=0}. When everything stored is refused, identity is sent
 * anyway (rather than 406). Without the field, identity. {@code x-gzip} counts as {@code gzip}; a
 * malformed q-value makes its coding unacceptable.
 *
 * <p><b>Stateless; any thread.</b>
 */
public final class AcceptEncoding {
    private static final int UNLISTED = -1;

    private AcceptEncoding() {
    }

    public static ContentCoding choose(String field, StaticFile file) {
        if (field == null || !file.hasEncodedSiblings()) {
            return ContentCoding.IDENTITY;
        }
        int br = UNLISTED;
        int gzip = UNLISTED;
        int identity = UNLISTED;
        int star = UNLISTED;
        int i = 0;
        int n = field.length();
        while (i < n) {
            int end = field.indexOf(',', i);
            if (end < 0) {
                end = n;
            }
            int semicolon = field.indexOf(';', i);
            int tokenEnd = semicolon >= 0 && semicolon < end ? semicolon : end;
            int a = i;
            int b = tokenEnd;
            while (a < b && Ascii.isOws(field.charAt(a))) {
                a++;
            }
            while (b > a && Ascii.isOws(field.charAt(b - 1))) {
                b--;
            }
            int q = tokenEnd < end ? qValue(field.substring(tokenEnd + 1, end)) : 1000;
            if (is(field, a, b, "br")) {
                br = Math.max(br, q);
            } else if (is(field, a, b, "gzip") || is(field, a, b, "x-gzip")) {
                gzip = Math.max(gzip, q);
            } else if (is(field, a, b, "identity")) {
                identity = Math.max(identity, q);
            } else if (b - a == 1 && field.charAt(a) == '*') {
                star = Math.max(star, q);
            }
            i = end + 1;
        }
        int brQ = br != UNLISTED ? br : Math.max(star, 0);
        int gzipQ = gzip != UNLISTED ? gzip : Math.max(star, 0);
        int identityQ = identity != UNLISTED ? identity : star != UNLISTED ? star : 1000;
        ContentCoding best = ContentCoding.IDENTITY;
        int bestQ = identityQ;
        if (file.representation(ContentCoding.GZIP) != null && gzipQ > 0 && gzipQ >= bestQ) {
            best = ContentCoding.GZIP;
            bestQ = gzipQ;
        }
        if (file.representation(ContentCoding.BR) != null && brQ > 0 && brQ >= bestQ) {
            best = ContentCoding.BR;
        }
        return best;
    }

    private static boolean is(String field, int from, int to, String coding) {
        return to - from == coding.length() && field.regionMatches(true, from, coding, 0, coding.length());
    }

    /** The q parameter among {@code params} ({@code "q=0.5"}, maybe with others), in thousandths; 1000 without one. */
    static int qValue(String params) {
        int result = 1000;
        for (String param : params.split(";")) {
            String p = param.strip();
            if (p.length() >= 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                result = parseQ(p.substring(2).strip());
            }
        }
        return result;
    }

    /** qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths; 0 when malformed. */
    private static int parseQ(String s) {
        if (s.isEmpty() || s.length() > 5 || (s.charAt(0) != '0' && s.charAt(0) != '1')) {
            return 0;
        }
        int whole = s.charAt(0) - '0';
        int fraction = 0;
        if (s.length() > 1) {
            if (s.charAt(1) != '.') {
                return 0;
            }
            int scale = 100;
            for (int i = 2; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return 0;
                }
                fraction += (c - '0') * scale;
                scale /= 10;
            }
        }
        int q = whole * 1000 + fraction;
        return q > 1000 ? 0 : q;
    }
}
