package io.fdloop.internal.http.response;

/**
 * The status codes this server answers with, their reason phrases, and which of them end the connection.
 *
 * <p><b>Stateless; any thread.</b>
 */
public final class Status {
    private Status() {
    }

    /** The reason phrase of {@code code} (RFC 9110 15). */
    public static String reason(int code) {
        return switch (code) {
            case 200 -> "OK";
            case 206 -> "Partial Content";
            case 301 -> "Moved Permanently";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 416 -> "Range Not Satisfiable";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> throw new IllegalArgumentException("fdloop-http does not answer with status " + code);
        };
    }

    /**
     * Whether answering {@code code} ends the connection: the request could not be framed or trusted
     * (400, 411, 413, 414, 431, 505), or the server failed (500, 501), as nginx does.
     */
    public static boolean closesConnection(int code) {
        return switch (code) {
            case 400, 408, 411, 413, 414, 431, 500, 501, 505 -> true;
            default -> false;
        };
    }
}
