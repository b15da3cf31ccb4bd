/**
 * fdloop-http: a static-file HTTP/1.1 server on fdloop's event loops.
 *
 * <p>Only {@code io.fdloop.http} is API. The packages under {@code io.fdloop.internal.http} are the
 * protocol engine (request parsing, target normalisation, file resolution, response planning, the
 * access log) and may change without notice.
 */
module io.fdloop.http {
    requires io.fdloop;

    exports io.fdloop.http;
}
