package io.fdloop.cli.bench.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Date;

/**
 * Serves files under a root for {@link NettyFileServer}: GET and HEAD (405 otherwise), 404 for
 * what is not a regular file under the root (targets with {@code ..}, backslashes, NUL or a
 * leading dot in any segment are refused before the file system is asked), {@code Date},
 * {@code Last-Modified}, {@code Content-Type} for the corpus's two kinds, keep-alive as the
 * request asks. Responses are written as requests arrive and flushed once per read, so pipelined
 * requests leave in as few writes as Netty makes.
 *
 * <p><b>Not thread-safe</b>: one per channel, on its event loop.
 */
final class StaticFileHandler extends ChannelInboundHandlerAdapter {
    private final Path root;

    StaticFileHandler(Path root) {
        this.root = root;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                serve(ctx, request);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void serve(ChannelHandlerContext ctx, HttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (request.decoderResult().isFailure()) {
            error(ctx, HttpResponseStatus.BAD_REQUEST, false);
            return;
        }
        boolean head = request.method().equals(HttpMethod.HEAD);
        if (!head && !request.method().equals(HttpMethod.GET)) {
            error(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, keepAlive);
            return;
        }
        Path file = resolve(request.uri());
        if (file == null) {
            error(ctx, HttpResponseStatus.NOT_FOUND, keepAlive);
            return;
        }
        RandomAccessFile raf;
        long length;
        try {
            raf = new RandomAccessFile(file.toFile(), "r");
            length = raf.length();
        } catch (FileNotFoundException e) {
            error(ctx, HttpResponseStatus.NOT_FOUND, keepAlive);
            return;
        } catch (IOException e) {
            error(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, false);
            return;
        }
        HttpResponse response = new DefaultHttpResponse(request.protocolVersion(), HttpResponseStatus.OK);
        HttpUtil.setContentLength(response, length);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, file.toString().endsWith(".txt")
                ? "text/plain" : "application/octet-stream");
        response.headers().set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
        response.headers().set(HttpHeaderNames.LAST_MODIFIED, DateFormatter.format(new Date(file.toFile().lastModified())));
        HttpUtil.setKeepAlive(response, keepAlive);
        ctx.write(response);
        if (head) {
            close(raf);
        } else {
            ctx.write(new DefaultFileRegion(raf.getChannel(), 0, length)); // closes the file once sent
        }
        ChannelFuture last = ctx.write(LastHttpContent.EMPTY_LAST_CONTENT);
        if (!keepAlive) {
            last.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The regular file {@code uri} names under the root, or null. */
    private Path resolve(String uri) {
        String path;
        try {
            path = new QueryStringDecoder(uri).path();
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!path.startsWith("/") || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0 || path.contains("/.")) {
            return null;
        }
        Path file = root.resolve(path.substring(1)).normalize();
        return file.startsWith(root) && file.toFile().isFile() ? file : null;
    }

    private static void error(ChannelHandlerContext ctx, HttpResponseStatus status, boolean keepAlive) {
        byte[] body = (status + "\n").getBytes(StandardCharsets.US_ASCII);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        HttpUtil.setContentLength(response, body.length);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        if (status == HttpResponseStatus.METHOD_NOT_ALLOWED) {
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        ChannelFuture sent = ctx.write(response);
        if (!keepAlive) {
            sent.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void close(RandomAccessFile raf) {
        try {
            raf.close();
        } catch (IOException e) {
            // a file opened for reading only: nothing was lost
        }
    }
}
