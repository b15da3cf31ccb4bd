package io.fdloop.cli.bench.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Opens {@code count} connections to an echo server, one after the other; each echoes one small
 * message (so the server has accepted it and served it once), then all stay open and silent until
 * a line or the end of input arrives on {@code commands}.
 *
 * <p><b>Not thread-safe</b>: one run, on the calling thread.
 */
final class IdleConnections {
    private static final int MESSAGE_BYTES = 64;
    private static final int TIMEOUT_MS = 10_000;

    private IdleConnections() {
    }

    static void hold(InetSocketAddress server, int count, PrintStream out, InputStream commands) throws IOException {
        byte[] message = new byte[MESSAGE_BYTES];
        byte[] echoed = new byte[MESSAGE_BYTES];
        List<Socket> sockets = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket();
                sockets.add(socket);
                try {
                    socket.setTcpNoDelay(true);
                    socket.connect(server, TIMEOUT_MS);
                    socket.setSoTimeout(TIMEOUT_MS);
                    Arrays.fill(message, (byte) i);
                    socket.getOutputStream().write(message);
                    if (socket.getInputStream().readNBytes(echoed, 0, MESSAGE_BYTES) != MESSAGE_BYTES
                            || !Arrays.equals(message, echoed)) {
                        throw new IOException("idle connection " + i + " did not get its " + MESSAGE_BYTES
                                + "-byte message back intact");
                    }
                } catch (IOException e) {
                    throw new IOException("idle connection " + i + " of " + count + " to " + server + ": "
                            + e.getMessage(), e);
                }
            }
            out.println(LoadReport.IDLE_OPEN + count);
            out.flush();
            while (true) {
                int b = commands.read();
                if (b < 0 || b == '\n') {
                    break;
                }
            }
        } finally {
            for (Socket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing at the end of the idle phase: nothing to report
                }
            }
        }
    }
}
