package io.fdloop.internal.http.response;

import io.fdloop.http.ServerOptions;
import io.fdloop.internal.http.files.ContentCoding;
import io.fdloop.internal.http.files.Representation;
import io.fdloop.internal.http.files.Resolution;
import io.fdloop.internal.http.files.StaticFile;
import io.fdloop.internal.http.request.Method;
import io.fdloop.internal.http.request.Rejection;
import io.fdloop.internal.http.request.Request;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a request and what its target resolved to into a {@link ResponsePlan}: status, header fields,
 * and the body as in-memory bytes and file regions. No I/O happens here.
 *
 * <p><b>Not thread-safe</b>: one per loop (it reuses a head buffer and counts multipart boundaries).
 *
 * <p>A file's response: the representation is chosen from {@code Accept-Encoding}
 * ({@link AcceptEncoding}); the preconditions are evaluated on it ({@link Preconditions}: 412 or 304);
 * then, for a GET whose {@code If-Range} (if any) holds, the Range ({@link ByteRanges}): 206 with one
 * range, 206 {@code multipart/byteranges} with several (part headers as bytes, part bodies as file
 * regions), or 416. Every response carries {@code Server}, {@code Date} and {@code Connection}; a file's
 * also {@code Last-Modified} (never later than {@code Date}), {@code ETag}, {@code Accept-Ranges} and,
 * when it has precompressed siblings, {@code Vary: Accept-Encoding}. A HEAD gets the GET's head without
 * the body.
 */
public final class ResponsePlanner {
    private static final String SERVER = "fdloop";
    private static final String HTML = "text/html; charset=utf-8";

    private final int maxRanges;
    private final DateClock clock;
    private static final byte[] KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.US_ASCII);

    private final HeadBuilder head = new HeadBuilder();
    private long boundaryCounter;
    private String dateOfServerAndDate;
    private byte[] serverAndDate;

    /**
     * @param boundarySeed where this planner's multipart boundary numbers start (a random value keeps
     *                     two planners' boundaries apart)
     */
    public ResponsePlanner(ServerOptions options, DateClock clock, long boundarySeed) {
        this.maxRanges = options.maxRanges();
        this.clock = clock;
        this.boundaryCounter = boundarySeed & Long.MAX_VALUE;
    }

    /** The answer to a request refused while being parsed; the connection closes after it. */
    public ResponsePlan rejected(Rejection rejection) {
        return page(rejection.status(), false, false, null);
    }

    /** An error or refusal status for a parsed request: 403, 404, 405 (with {@code Allow}), 500, 501, 503. */
    public ResponsePlan error(Request request, int status, boolean keepAlive) {
        return page(status, request.method() == Method.HEAD, keepAlive, null);
    }

    /** The response to a GET or HEAD whose target resolved to {@code resolution}. */
    public ResponsePlan respond(Request request, Resolution resolution, boolean keepAlive) {
        return switch (resolution) {
            case Resolution.Found found -> file(request, found.file(), keepAlive);
            case Resolution.Redirect redirect -> page(301, request.method() == Method.HEAD, keepAlive,
                    redirect.location().toUri());
            case Resolution.Listing listing -> listing(request, listing.html(), keepAlive);
            case Resolution.Refused refused -> error(request, refused.status(), keepAlive);
        };
    }

    private ResponsePlan page(int status, boolean headOnly, boolean keepAlive, String location) {
        boolean close = !keepAlive || Status.closesConnection(status);
        MemorySegment body = ErrorPages.page(status);
        common(status, close);
        head.field("Content-Type", HTML).field("Content-Length", body.byteSize());
        if (location != null) {
            head.field("Location", location);
        }
        if (status == 405) {
            head.field("Allow", "GET, HEAD");
        }
        return plan(status, headOnly ? List.of() : List.of(new BodyPart.Bytes(body)), close);
    }

    private ResponsePlan listing(Request request, byte[] html, boolean keepAlive) {
        common(200, !keepAlive);
        head.field("Content-Type", HTML).field("Content-Length", html.length);
        List<BodyPart> body = request.method() == Method.HEAD || html.length == 0 ? List.of()
                : List.of(new BodyPart.Bytes(MemorySegment.ofArray(html).asReadOnly()));
        return plan(200, body, !keepAlive);
    }

    private ResponsePlan file(Request request, StaticFile file, boolean keepAlive) {
        ContentCoding coding = AcceptEncoding.choose(request.acceptEncoding(), file);
        Representation rep = file.representation(coding);
        long nowSeconds = Math.floorDiv(clock.millis(), 1000);
        long lastModified = Math.min(rep.modifiedSeconds(), nowSeconds);
        boolean headOnly = request.method() == Method.HEAD;
        boolean close = !keepAlive;
        switch (Preconditions.evaluate(request, rep.etag(), lastModified)) {
            case FAILED -> {
                return page(412, headOnly, keepAlive, null);
            }
            case NOT_MODIFIED -> {
                common(304, close);
                validators(file, rep, lastModified);
                return plan(304, List.of(), close);
            }
            case PROCEED -> {
            }
        }
        ByteRanges.Decision decision = new ByteRanges.Whole();
        if (request.method() == Method.GET && request.range() != null
                && (request.ifRange() == null
                    || Preconditions.ifRangeHolds(request.ifRange(), rep.etag(), lastModified, nowSeconds))) {
            decision = ByteRanges.decide(request.range(), rep.length(), maxRanges);
        }
        return switch (decision) {
            case ByteRanges.Whole w -> whole(file, rep, lastModified, headOnly, close);
            case ByteRanges.Unsatisfiable u -> unsatisfiable(file, rep, close);
            case ByteRanges.Partial p when p.ranges().size() == 1 -> single(file, rep, lastModified, p.ranges().getFirst(), close);
            case ByteRanges.Partial p -> multipart(file, rep, lastModified, p.ranges(), close);
        };
    }

    private ResponsePlan whole(StaticFile file, Representation rep, long lastModified, boolean headOnly, boolean close) {
        common(200, close);
        byte[] fields = lastModified == rep.modifiedSeconds() ? file.formatted(rep.coding()) : null;
        if (fields != null) {
            head.bytes(fields);
        } else {
            int mark = head.mark();
            head.field("Content-Type", file.contentType()).field("Content-Length", rep.length());
            validators(file, rep, lastModified);
            encoding(rep);
            head.field("Accept-Ranges", "bytes");
            if (lastModified == rep.modifiedSeconds()) {
                file.formatted(rep.coding(), head.since(mark)); // the same for every 200 of this representation
            }
        }
        List<BodyPart> body = headOnly || rep.length() == 0 ? List.of()
                : List.of(new BodyPart.FileRegion(rep.file().file(), 0, rep.length()));
        return plan(200, body, close);
    }

    private ResponsePlan single(StaticFile file, Representation rep, long lastModified, ByteRanges.Range range,
                                boolean close) {
        common(206, close);
        head.field("Content-Type", file.contentType()).field("Content-Length", range.length());
        validators(file, rep, lastModified);
        encoding(rep);
        head.field("Accept-Ranges", "bytes").field("Content-Range", contentRange(range, rep.length()));
        return plan(206, List.of(new BodyPart.FileRegion(rep.file().file(), range.start(), range.length())), close);
    }

    private ResponsePlan multipart(StaticFile file, Representation rep, long lastModified, List<ByteRanges.Range> ranges,
                                   boolean close) {
        String boundary = String.format("%020d", boundaryCounter++ & Long.MAX_VALUE);
        List<BodyPart> body = new ArrayList<>(ranges.size() * 2 + 1);
        for (ByteRanges.Range range : ranges) {
            String partHead = "\r\n--" + boundary + "\r\nContent-Type: " + file.contentType()
                    + "\r\nContent-Range: " + contentRange(range, rep.length()) + "\r\n\r\n";
            body.add(ascii(partHead));
            body.add(new BodyPart.FileRegion(rep.file().file(), range.start(), range.length()));
        }
        body.add(ascii("\r\n--" + boundary + "--\r\n"));
        long length = 0;
        for (BodyPart part : body) {
            length += part.length();
        }
        common(206, close);
        head.field("Content-Type", "multipart/byteranges; boundary=" + boundary).field("Content-Length", length);
        validators(file, rep, lastModified);
        encoding(rep);
        head.field("Accept-Ranges", "bytes");
        return plan(206, body, close);
    }

    private ResponsePlan unsatisfiable(StaticFile file, Representation rep, boolean close) {
        MemorySegment page = ErrorPages.page(416);
        common(416, close);
        head.field("Content-Type", HTML).field("Content-Length", page.byteSize())
                .field("Content-Range", "bytes */" + rep.length());
        if (file.hasEncodedSiblings()) {
            head.field("Vary", "Accept-Encoding");
        }
        return plan(416, List.of(new BodyPart.Bytes(page)), close);
    }

    private void common(int status, boolean close) {
        String date = clock.httpDate();
        if (date != dateOfServerAndDate) { // the clock hands out one String per second
            dateOfServerAndDate = date;
            serverAndDate = ("Server: " + SERVER + "\r\nDate: " + date + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
        head.status(status).bytes(serverAndDate).bytes(close ? CLOSE : KEEP_ALIVE);
    }

    private void validators(StaticFile file, Representation rep, long lastModified) {
        String date = lastModified == rep.modifiedSeconds() ? rep.lastModified() : HttpDates.format(lastModified);
        head.field("Last-Modified", date).field("ETag", rep.etag());
        if (file.hasEncodedSiblings()) {
            head.field("Vary", "Accept-Encoding");
        }
    }

    private void encoding(Representation rep) {
        if (rep.coding() != ContentCoding.IDENTITY) {
            head.field("Content-Encoding", rep.coding().token());
        }
    }

    private static String contentRange(ByteRanges.Range range, long length) {
        return "bytes " + range.start() + "-" + (range.end() - 1) + "/" + length;
    }

    private static BodyPart.Bytes ascii(String s) {
        return new BodyPart.Bytes(MemorySegment.ofArray(s.getBytes(StandardCharsets.US_ASCII)));
    }

    private ResponsePlan plan(int status, List<BodyPart> body, boolean close) {
        return new ResponsePlan(status, head.finish(), body, close);
    }
}
