package io.fdloop.internal.http.request;

/**
 * Character classes of RFC 9110 and RFC 3986 over bytes, and ASCII case folding.
 *
 * <p><b>Stateless; any thread.</b>
 */
public final class Ascii {
    private static final boolean[] TCHAR = new boolean[256];
    private static final boolean[] FIELD_VALUE = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
        // field-value: VCHAR, obs-text, SP and HTAB (RFC 9110 5.5); no other control, no DEL
        for (int c = 0x21; c <= 0x7e; c++) {
            FIELD_VALUE[c] = true;
        }
        for (int c = 0x80; c <= 0xff; c++) {
            FIELD_VALUE[c] = true;
        }
        FIELD_VALUE[' '] = true;
        FIELD_VALUE['\t'] = true;
    }

    private Ascii() {
    }

    /** A token character (RFC 9110 5.6.2): what methods and field names are made of. */
    public static boolean isTchar(int b) {
        return TCHAR[b & 0xff];
    }

    /** A byte allowed inside a field value. */
    public static boolean isFieldValue(int b) {
        return FIELD_VALUE[b & 0xff];
    }

    public static int lower(int b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    public static boolean isDigit(int b) {
        return b >= '0' && b <= '9';
    }

    /** The value of a hex digit, or -1. */
    public static int hexValue(int b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        int l = lower(b);
        return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
    }

    /** Whether {@code buf[off, off + len)} equals {@code lowerCase} ignoring ASCII case. */
    public static boolean equalsIgnoreCase(byte[] buf, int off, int len, String lowerCase) {
        if (len != lowerCase.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (lower(buf[off + i] & 0xff) != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code s} equals {@code lowerCase} ignoring ASCII case (and only ASCII case). */
    public static boolean equalsIgnoreCase(String s, String lowerCase) {
        if (s.length() != lowerCase.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (lower(s.charAt(i)) != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    public static boolean isOws(int c) {
        return c == ' ' || c == '\t';
    }
}
