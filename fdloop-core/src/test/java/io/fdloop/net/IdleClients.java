package io.fdloop.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A child process for {@code shouldHoldTenThousandIdleConnections}: opens N connections to HOST PORT
 * (with the JDK's blocking sockets), prints {@code connected N}, holds them until its standard input
 * closes, then closes them all. In a process of its own, the connections' client ends do not count
 * against the test JVM's fd limit.
 */
public final class IdleClients {
    private IdleClients() {
    }

    public static void main(String[] args) throws IOException {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        List<SocketChannel> connections = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                connections.add(SocketChannel.open(server));
            }
            System.out.println("connected " + connections.size());
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
