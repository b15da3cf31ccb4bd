package io.fdloop.internal.http.response;

import io.fdloop.internal.http.request.Request;

/**
 * The conditional request fields, evaluated in the order of RFC 9110 13.2.2 for a GET or HEAD of a
 * representation with validators {@code etag} and {@code lastModified} (seconds):
 * <ol>
 *   <li>{@code If-Match} false: 412;</li>
 *   <li>else {@code If-Unmodified-Since} (a valid date) false: 412;</li>
 *   <li>{@code If-None-Match} matches: 304;</li>
 *   <li>else {@code If-Modified-Since} (a valid date) not earlier than the modification: 304;</li>
 *   <li>{@code If-Range}, evaluated by {@link #ifRangeHolds} when there is a Range.</li>
 * </ol>
 * Dates compare at one-second precision, as HTTP-dates carry; a date that does not parse is ignored.
 *
 * <p><b>Stateless; any thread.</b>
 */
public final class Preconditions {
    public enum Outcome { PROCEED, NOT_MODIFIED, FAILED }

    private Preconditions() {
    }

    public static Outcome evaluate(Request request, String etag, long lastModified) {
        if (request.ifMatch() != null) {
            if (!EntityTags.strongMatch(request.ifMatch(), etag)) {
                return Outcome.FAILED;
            }
        } else if (request.ifUnmodifiedSince() != null) {
            long date = HttpDates.parse(request.ifUnmodifiedSince());
            if (date != HttpDates.INVALID && lastModified > date) {
                return Outcome.FAILED;
            }
        }
        if (request.ifNoneMatch() != null) {
            if (EntityTags.weakMatch(request.ifNoneMatch(), etag)) {
                return Outcome.NOT_MODIFIED;
            }
        } else if (request.ifModifiedSince() != null) {
            long date = HttpDates.parse(request.ifModifiedSince());
            if (date != HttpDates.INVALID && lastModified <= date) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /**
     * RFC 9110 13.1.5: whether the Range applies. An entity tag must match strongly; a date must equal
     * the Last-Modified exactly and be a strong validator, which a modification time is once its second
     * has passed ({@code lastModified < nowSeconds}): a later change within it would go unseen.
     */
    public static boolean ifRangeHolds(String ifRange, String etag, long lastModified, long nowSeconds) {
        String v = ifRange.strip();
        if (v.startsWith("\"") || v.startsWith("W/")) {
            return !v.startsWith("W/") && !etag.startsWith("W/") && v.equals(etag);
        }
        long date = HttpDates.parse(v);
        return date != HttpDates.INVALID && date == lastModified && lastModified < nowSeconds;
    }
}
