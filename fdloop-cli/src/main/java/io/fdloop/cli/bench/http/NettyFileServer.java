package io.fdloop.cli.bench.http;

import io.fdloop.cli.bench.net.ServerArgs;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ResourceLeakDetector;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The {@code netty-http} peer: a static-file server on Netty 4.2's native epoll transport, written
 * as Netty's own file-server example is: {@link HttpServerCodec}, keep-alive, GET and HEAD, a
 * {@code Content-Length}, and the body as a {@code DefaultFileRegion} (sendfile). Each request
 * opens its file (no cache), on the event loop, as the example does. One event loop thread per
 * {@code --loops}; pooled direct buffers; leak detection off.
 *
 * <p><b>Thread-safe</b> only as a program: Netty's loops own their channels.
 */
public final class NettyFileServer {
    private NettyFileServer() {
    }

    public static void main(String[] args) throws Exception {
        ServerArgs options = ServerArgs.parse(args);
        if (options.root() == null || !Files.isDirectory(options.root())) {
            System.err.println("netty-http: --root must name a directory, was " + options.root());
            System.exit(2);
        }
        Path root = options.root().toRealPath();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(options.loops(), EpollIoHandler.newFactory());
        try {
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new HttpServerCodec(), new StaticFileHandler(root));
                        }
                    })
                    .bind(options.bind()).sync().channel();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                listener.close().syncUninterruptibly();
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }));
            System.out.println(ServerArgs.servingLine(root, (InetSocketAddress) listener.localAddress()));
            System.out.flush();
            listener.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }
}
