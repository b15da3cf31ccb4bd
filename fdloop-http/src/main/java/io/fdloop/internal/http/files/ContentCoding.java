package io.fdloop.internal.http.files;

/**
 * The encodings a file may be stored in beside itself: {@code file.br}, {@code file.gz}. Listed in the
 * server's order of preference when a client accepts several equally.
 *
 * <p><b>Immutable; any thread.</b>
 */
public enum ContentCoding {
    BR("br", ".br"),
    GZIP("gzip", ".gz"),
    IDENTITY("identity", "");

    private final String token;
    private final String suffix;

    ContentCoding(String token, String suffix) {
        this.token = token;
        this.suffix = suffix;
    }

    /** The coding's name in {@code Accept-Encoding} and {@code Content-Encoding}. */
    public String token() {
        return token;
    }

    /** What is appended to a file's name for its precompressed sibling; empty for identity. */
    public String suffix() {
        return suffix;
    }
}
