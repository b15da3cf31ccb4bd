package io.fdloop.cli.bench.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.util.ResourceLeakDetector;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The {@code netty-epoll} and {@code netty-uring} echo peers: Netty 4.2 on its native transports
 * ({@code --transport epoll} or {@code io_uring}), a {@link MultiThreadIoEventLoopGroup} of
 * {@code --loops} threads accepting and serving, and the echo handler Netty users write:
 * {@code ctx.write(msg)} in {@code channelRead}, {@code ctx.flush()} in
 * {@code channelReadComplete}. Pooled direct buffers, TCP_NODELAY, leak detection off (as
 * performance-minded deployments run it).
 *
 * <p><b>Thread-safe</b> only as a program: Netty's loops own their channels.
 */
public final class NettyEchoServer {
    private NettyEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        ServerArgs options = ServerArgs.parse(args);
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        NettyTransport transport = NettyTransport.named(options.transport());
        String unavailable = transport.unavailableBecause();
        if (unavailable != null) {
            System.err.println("netty " + transport.cliName() + " is unavailable: " + unavailable);
            System.exit(3);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(options.loops(), transport.ioHandlerFactory());
        try {
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(transport == NettyTransport.EPOLL ? EpollServerSocketChannel.class : IoUringServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .childHandler(new Echo())
                    .bind(options.bind()).sync().channel();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                listener.close().syncUninterruptibly();
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }));
            System.out.println(ServerArgs.listeningLine((InetSocketAddress) listener.localAddress()));
            System.out.flush();
            listener.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    /** Echoes what it reads; shared by every connection (it holds no state). */
    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close().addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }
}
