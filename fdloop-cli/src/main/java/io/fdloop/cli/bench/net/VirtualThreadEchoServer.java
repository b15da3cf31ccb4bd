package io.fdloop.cli.bench.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The {@code jdk-vthreads} echo peer: a blocking ServerSocket accepting on a platform thread and
 * one virtual thread per connection, reading into a heap array and writing it back: the JDK's
 * own answer to "one thread per connection, without the threads". {@code --loops N} sets the
 * virtual-thread scheduler's parallelism (its carrier threads).
 *
 * <p><b>Thread-safe</b> only as a program: each connection's state belongs to its thread.
 */
public final class VirtualThreadEchoServer {
    /** java.io's usual buffer size (BufferedInputStream's). */
    private static final int BUFFER_BYTES = 8192;

    private VirtualThreadEchoServer() {
    }

    public static void main(String[] args) throws IOException {
        ServerArgs options = ServerArgs.parse(args);
        // read once, when the first virtual thread starts: before any does
        System.setProperty("jdk.virtualThreadScheduler.parallelism", Integer.toString(options.loops()));
        ServerSocket listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(options.bind(), 4096);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                listener.close();
            } catch (IOException e) {
                // exiting anyway
            }
        }));
        System.out.println(ServerArgs.listeningLine((InetSocketAddress) listener.getLocalSocketAddress()));
        System.out.flush();
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
                throw e;
            }
            Thread.ofVirtual().start(() -> echo(socket));
        }
    }

    private static void echo(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            socket.setTcpNoDelay(true);
            byte[] buffer = new byte[BUFFER_BYTES];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // the peer reset or went away: this connection is done
        }
    }
}
