package io.fdloop.cli.bench.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code jdk-nio} echo peer: the JDK's non-blocking SocketChannels on one Selector thread per
 * loop, written the way a careful NIO user writes it. Each loop reads into one direct buffer it
 * shares among its connections and writes it straight back; only what the socket does not take
 * is copied into a buffer of the connection's own, and the connection stops reading until that is
 * sent (backpressure). The first loop also accepts and deals connections out in turn.
 *
 * <p><b>Thread-safe</b> only as a program: each loop's state belongs to its thread.
 */
public final class NioEchoServer {
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private NioEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        ServerArgs options = ServerArgs.parse(args);
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.bind(options.bind(), 4096);
        Loop[] loops = new Loop[options.loops()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new Loop(Selector.open());
        }
        listener.configureBlocking(false);
        listener.register(loops[0].selector, SelectionKey.OP_ACCEPT);
        CountDownLatch stopped = new CountDownLatch(loops.length);
        for (int i = 0; i < loops.length; i++) {
            Loop loop = loops[i];
            Thread.ofPlatform().name("nio-echo-" + i).start(() -> {
                try {
                    loop.run(listener, loops);
                } finally {
                    stopped.countDown();
                }
            });
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Loop loop : loops) {
                loop.running = false;
                loop.selector.wakeup();
            }
            try {
                stopped.await();
                listener.close();
            } catch (InterruptedException | IOException e) {
                // exiting anyway
            }
        }));
        System.out.println(ServerArgs.listeningLine((InetSocketAddress) listener.getLocalAddress()));
        System.out.flush();
    }

    /** One selector thread and the connections dealt to it. */
    private static final class Loop {
        private final Selector selector;
        private final Queue<SocketChannel> handedOver = new ConcurrentLinkedQueue<>();
        private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
        private volatile boolean running = true;
        private int next;

        Loop(Selector selector) {
            this.selector = selector;
        }

        void run(ServerSocketChannel listener, Loop[] loops) {
            try {
                while (running) {
                    selector.select(key -> handle(key, listener, loops));
                    SocketChannel channel;
                    while ((channel = handedOver.poll()) != null) {
                        channel.register(selector, SelectionKey.OP_READ);
                    }
                }
            } catch (IOException e) {
                System.err.println("nio-echo: " + e);
            } finally {
                for (SelectionKey key : selector.keys()) {
                    closeQuietly(key);
                }
                try {
                    selector.close();
                } catch (IOException e) {
                    // exiting
                }
            }
        }

        private void handle(SelectionKey key, ServerSocketChannel listener, Loop[] loops) {
            try {
                if (key.isAcceptable()) {
                    accept(listener, loops);
                    return;
                }
                if (key.isWritable()) {
                    writePending(key);
                }
                if (key.isValid() && key.isReadable()) {
                    echo(key);
                }
            } catch (IOException e) {
                closeQuietly(key);
            }
        }

        private void accept(ServerSocketChannel listener, Loop[] loops) throws IOException {
            SocketChannel channel;
            while ((channel = listener.accept()) != null) {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Loop owner = loops[next++ % loops.length];
                if (owner == this) {
                    channel.register(selector, SelectionKey.OP_READ);
                } else {
                    owner.handedOver.add(channel);
                    owner.selector.wakeup();
                }
            }
        }

        private void echo(SelectionKey key) throws IOException {
            SocketChannel channel = (SocketChannel) key.channel();
            while (true) {
                readBuffer.clear();
                int n = channel.read(readBuffer);
                if (n < 0) {
                    closeQuietly(key);
                    return;
                }
                if (n == 0) {
                    return;
                }
                readBuffer.flip();
                channel.write(readBuffer);
                if (readBuffer.hasRemaining()) {
                    ByteBuffer pending = ByteBuffer.allocateDirect(readBuffer.remaining());
                    pending.put(readBuffer).flip();
                    key.attach(pending);
                    key.interestOps(SelectionKey.OP_WRITE);
                    return;
                }
                if (n < readBuffer.capacity()) {
                    return;
                }
            }
        }

        private void writePending(SelectionKey key) throws IOException {
            ByteBuffer pending = (ByteBuffer) key.attachment();
            ((SocketChannel) key.channel()).write(pending);
            if (!pending.hasRemaining()) {
                key.attach(null);
                key.interestOps(SelectionKey.OP_READ);
            }
        }

        private static void closeQuietly(SelectionKey key) {
            key.cancel();
            try {
                key.channel().close();
            } catch (IOException e) {
                // a connection the peer already dropped
            }
        }
    }
}
