package io.fdloop.internal.http.request;

/**
 * A request refused before it could be served: the status to answer, why (for the log), and the
 * request line as far as it was read (for the access log's {@code $request}, null when none).
 * A rejected request ends its connection after the answer, because what follows it cannot be
 * trusted to start a new request.
 *
 * <p><b>Immutable; any thread.</b>
 */
public record Rejection(int status, String reason, String requestLine) {
}
