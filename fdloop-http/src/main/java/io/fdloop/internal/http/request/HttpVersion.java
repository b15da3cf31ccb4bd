package io.fdloop.internal.http.request;

/**
 * The protocol versions this server speaks; a request in any other answers 505.
 *
 * <p><b>Immutable; any thread.</b>
 */
public enum HttpVersion {
    HTTP_1_0("HTTP/1.0"),
    HTTP_1_1("HTTP/1.1");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
