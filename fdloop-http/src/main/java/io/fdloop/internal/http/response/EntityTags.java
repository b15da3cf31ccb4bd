package io.fdloop.internal.http.response;

/**
 * Matching an entity tag against the lists of {@code If-Match} and {@code If-None-Match} (RFC 9110
 * 8.8.3.2): strong comparison (both strong, same opaque tag) or weak (same opaque tag, either may be weak).
 * A list that does not parse matches nothing from the point where it stops parsing.
 *
 * <p><b>Stateless; any thread.</b>
 */
public final class EntityTags {
    private EntityTags() {
    }

    /** {@code If-Match}: {@code *}, or a strong match with one of the listed tags. */
    public static boolean strongMatch(String list, String etag) {
        return matches(list, etag, true);
    }

    /** {@code If-None-Match}: {@code *}, or a weak match with one of the listed tags. */
    public static boolean weakMatch(String list, String etag) {
        return matches(list, etag, false);
    }

    private static boolean matches(String list, String etag, boolean strong) {
        if (list.strip().equals("*")) {
            return true;
        }
        boolean ourWeak = etag.startsWith("W/");
        String ourOpaque = ourWeak ? etag.substring(2) : etag;
        int i = 0;
        int n = list.length();
        while (i < n) {
            while (i < n && (list.charAt(i) == ' ' || list.charAt(i) == '\t' || list.charAt(i) == ',')) {
                i++;
            }
            if (i == n) {
                break;
            }
            boolean weak = false;
            if (list.startsWith("W/", i)) {
                weak = true;
                i += 2;
            }
            if (i >= n || list.charAt(i) != '"') {
                return false;
            }
            int close = list.indexOf('"', i + 1);
            if (close < 0) {
                return false;
            }
            boolean same = ourOpaque.length() == close + 1 - i && list.startsWith(ourOpaque, i);
            if (same && (!strong || (!weak && !ourWeak))) {
                return true;
            }
            i = close + 1;
            while (i < n && (list.charAt(i) == ' ' || list.charAt(i) == '\t')) {
                i++;
            }
            if (i < n && list.charAt(i) != ',') {
                return false;
            }
        }
        return false;
    }
}
