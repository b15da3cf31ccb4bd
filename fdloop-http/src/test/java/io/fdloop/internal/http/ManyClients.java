package io.fdloop.internal.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A child process for {@code shouldServeTenThousandConnectionsAtOnce}: opens N connections to HOST PORT,
 * sends a GET for {@code /hello.txt} on every one, reads every answer, prints {@code served N} when all were
 * 200 with the file's bytes (or what went wrong), then holds the connections open until its standard input
 * closes. In a process of its own, the client ends do not count against the test JVM's fd limit.
 */
public final class ManyClients {
    private ManyClients() {
    }

    public static void main(String[] args) throws IOException {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        List<SocketChannel> connections = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                connections.add(SocketChannel.open(server));
            }
            ByteBuffer request = ByteBuffer.wrap("GET /hello.txt HTTP/1.1\r\nHost: many\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (SocketChannel c : connections) {
                c.write(request.duplicate());
            }
            ByteBuffer answer = ByteBuffer.allocate(4096);
            int served = 0;
            for (SocketChannel c : connections) {
                answer.clear();
                String text = "";
                while (!text.endsWith("\r\n\r\n" + TestTree.HELLO)) {
                    if (c.read(answer) < 0) {
                        break;
                    }
                    text = new String(answer.array(), 0, answer.position(), StandardCharsets.ISO_8859_1);
                }
                if (text.startsWith("HTTP/1.1 200 ") && text.endsWith(TestTree.HELLO)) {
                    served++;
                } else {
                    System.out.println("connection " + served + " got: " + text);
                    return;
                }
            }
            System.out.println("served " + served);
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the connections until the parent closes our stdin
            }
        } finally {
            for (SocketChannel connection : connections) {
                connection.close();
            }
        }
    }
}
