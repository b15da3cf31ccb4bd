package io.fdloop.internal.http.response;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The small HTML bodies of error, redirect and 304-less responses: one per status, built once.
 *
 * <p><b>Thread-safe.</b> The segments handed out are read-only.
 */
final class ErrorPages {
    private static final ConcurrentHashMap<Integer, MemorySegment> PAGES = new ConcurrentHashMap<>();

    private ErrorPages() {
    }

    static MemorySegment page(int status) {
        return PAGES.computeIfAbsent(status, ErrorPages::render);
    }

    private static MemorySegment render(int status) {
        String title = status + " " + Status.reason(status);
        String html = "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
                + "</h1></center>\r\n<hr><center>fdloop</center>\r\n</body>\r\n</html>\r\n";
        return MemorySegment.ofArray(html.getBytes(StandardCharsets.US_ASCII)).asReadOnly();
    }
}
