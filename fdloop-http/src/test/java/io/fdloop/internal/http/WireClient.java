package io.fdloop.internal.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A plain JDK socket speaking HTTP/1.1 by hand, for tests over a real connection: requests written as
 * bytes, responses read back one at a time and framed only by their {@code Content-Length} (the server
 * sends one with every response). Every read is bounded by the socket timeout.
 */
final class WireClient implements AutoCloseable {
    static final int TIMEOUT_MS = 20_000;

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    WireClient(InetSocketAddress server) throws IOException {
        this(server, 0);
    }

    /** {@code receiveBuffer} > 0 sets SO_RCVBUF before connecting (a client that reads slowly). */
    WireClient(InetSocketAddress server, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(server, TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        in = new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    WireClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    WireClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** The next response to a GET (or any request whose response carries its body). */
    Response read() throws IOException {
        return read(false);
    }

    /** The next response; {@code head}: it answers a HEAD, so no body follows whatever Content-Length says. */
    Response read(boolean head) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection ended inside a response head: "
                        + raw.toString(StandardCharsets.ISO_8859_1));
            }
            raw.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        Response headOnly = Response.parse(raw.toByteArray());
        String length = headOnly.header("Content-Length");
        if (!head && headOnly.status() != 304 && length != null) {
            raw.write(in.readNBytes(Integer.parseInt(length)));
        }
        Response response = Response.parse(raw.toByteArray());
        if (length != null && !head && headOnly.status() != 304 && response.body().length != Integer.parseInt(length)) {
            throw new EOFException("the connection ended inside a body: " + response.body().length + " of " + length);
        }
        return response;
    }

    /** Sends {@code request} and reads its response. */
    Response exchange(String request) throws IOException {
        send(request);
        return read(request.startsWith("HEAD "));
    }

    /**
     * Whether the server ended the connection: end of stream or a reset, within the socket timeout; what
     * arrives before the end is skipped (at most {@code limit} bytes, else false).
     */
    boolean endsWithin(long limit) throws IOException {
        byte[] buffer = new byte[8192];
        long skipped = 0;
        try {
            while (skipped <= limit) {
                int n = in.read(buffer);
                if (n < 0) {
                    return true;
                }
                skipped += n;
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
