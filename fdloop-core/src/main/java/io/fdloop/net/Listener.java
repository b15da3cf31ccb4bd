package io.fdloop.net;

import io.fdloop.EventLoop;
import io.fdloop.EventLoopGroup;
import io.fdloop.internal.linux.SocketAddresses;
import io.fdloop.internal.linux.Sockets;
import io.fdloop.internal.linux.Syscalls;
import io.fdloop.internal.loop.Loops;
import io.fdloop.internal.net.ListenSocket;
import io.fdloop.internal.net.NetEngine;
import io.fdloop.internal.net.SocketConfig;
import io.fdloop.internal.net.SocketOptionCodec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * A listening stream socket (TCP over IPv4 or IPv6, or Unix-domain) on one loop, or one per loop of an
 * {@link EventLoopGroup} (sharing the port with {@code SO_REUSEPORT}, so the kernel spreads connections
 * over the loops). Each accepted connection is handed to the {@link Acceptor} on its loop's thread.
 *
 * <p><b>Thread-safe</b>: every method may be called from any thread.
 *
 * <p>The socket is bound and listening when {@code bind} returns (port 0 binds an ephemeral port:
 * {@link #localAddress()} tells which), with {@code SO_REUSEADDR} on unless the builder says otherwise.
 * On {@link NetMechanism#EPOLL} connections are accepted with {@code accept4(SOCK_NONBLOCK | SOCK_CLOEXEC)}
 * until the kernel has none left, at most 64 per loop iteration; on {@link NetMechanism#URING} one
 * multishot {@code IORING_OP_ACCEPT} stays in the kernel and each connection arrives as a completion.
 * When the process runs out of fds ({@code EMFILE}) accepting pauses for 100 ms at a time rather than
 * spinning (the connections wait in the backlog), and a warning is logged once. A Unix-domain listener
 * deletes its socket file when it closes.
 */
public final class Listener implements AutoCloseable {
    /** The default backlog; the kernel caps it at {@code net.core.somaxconn}. */
    public static final int DEFAULT_BACKLOG = 4096;

    private final List<ListenSocket> sockets;
    private final List<EventLoop> loops;
    private final SocketAddress localAddress;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile boolean open = true;

    private Listener(List<ListenSocket> sockets, List<EventLoop> loops, SocketAddress localAddress) {
        this.sockets = sockets;
        this.loops = loops;
        this.localAddress = localAddress;
    }

    /**
     * Listens on {@code address} on {@code loop} with default settings. Any thread.
     *
     * @param loop the event loop that serves it
     * @param address the address
     * @param acceptor gives each accepted connection its handler
     * @return the listener, bound and accepting
     * @throws IOException when the kernel refuses the call
     */
    public static Listener bind(EventLoop loop, SocketAddress address, Acceptor acceptor) throws IOException {
        return builder().bind(loop, address, acceptor);
    }

    /**
     * Listens on {@code address} on every loop of {@code group} with default settings. Any thread.
     *
     * @param group the loops to listen on
     * @param address the address
     * @param acceptor gives each accepted connection its handler
     * @return the listener, bound and accepting
     * @throws IOException when the kernel refuses the call
     */
    public static Listener bind(EventLoopGroup group, SocketAddress address, Acceptor acceptor) throws IOException {
        return builder().bind(group, address, acceptor);
    }

    /**
     * Settings for listeners; a builder may be kept and used for many binds.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The bound address: the real port when 0 was asked for. Any thread.
     *
     * @return the bound address
     */
    public SocketAddress localAddress() {
        return localAddress;
    }

    /**
     * The loops this listener accepts on. Any thread.
     *
     * @return the loops
     */
    public List<EventLoop> loops() {
        return loops;
    }

    /**
     * Whether the listener still accepts: not closed, and its loops not closed either. Any thread.
     *
     * @return whether it is open
     */
    public boolean isOpen() {
        return open && sockets.stream().noneMatch(ListenSocket::isClosed);
    }

    /**
     * Stops accepting and closes the listening socket(s); connections already accepted stay open. From
     * a thread that is not one of its loops, waits until every socket is closed. Idempotent. Any thread.
     */
    @Override
    public void close() {
        closeAsync();
        boolean onOwnLoop = loops.stream().anyMatch(EventLoop::inLoop);
        if (!onOwnLoop) {
            closed.join();
        }
    }

    /**
     * Starts closing; the future completes once every socket is closed. Any thread.
     *
     * @return a future completed once every socket is closed
     */
    public CompletableFuture<Void> closeAsync() {
        if (open) {
            open = false;
            List<CompletableFuture<Void>> each = new ArrayList<>();
            for (ListenSocket socket : sockets) {
                CompletableFuture<Void> one = new CompletableFuture<>();
                each.add(one);
                Runnable close = () -> {
                    socket.close();
                    one.complete(null);
                };
                EventLoop loop = socket.engine().loop;
                if (loop.inLoop()) {
                    close.run();
                } else {
                    try {
                        loop.execute(close);
                    } catch (RejectedExecutionException e) {
                        one.complete(null); // the closing loop closes its listeners itself
                    }
                }
            }
            CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
                deleteSocketFile();
                closed.complete(null);
            });
        }
        return closed;
    }

    private void deleteSocketFile() {
        if (localAddress instanceof UnixDomainSocketAddress unix && !unix.getPath().toString().isEmpty()) {
            try {
                Files.deleteIfExists(unix.getPath());
            } catch (IOException e) {
                System.getLogger("io.fdloop.net").log(System.Logger.Level.WARNING,
                        "could not delete the socket file " + unix.getPath(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "Listener[" + localAddress + ", " + loops.size() + (loops.size() == 1 ? " loop" : " loops")
                + (open ? "]" : ", closed]");
    }

    /**
     * Settings for listeners.
     *
     * <p><b>Not thread-safe</b> while being changed; {@code bind} may be called from any thread.
     */
    public static final class Builder {
        private final Map<SocketOption<?>, Object> listenerOptions = new LinkedHashMap<>();
        private final Map<SocketOption<?>, Object> connectionOptions = new LinkedHashMap<>();
        private int backlog = DEFAULT_BACKLOG;
        private NetMechanism mechanism = NetMechanism.fromSystemProperty();

        private Builder() {
        }

        /**
         * The length of the queue of connections not yet accepted; default {@link #DEFAULT_BACKLOG}.
         *
         * @param connections the backlog length
         * @return this builder
         */
        public Builder backlog(int connections) {
            if (connections < 0) {
                throw new IllegalArgumentException("backlog must be >= 0, was " + connections);
            }
            this.backlog = connections;
            return this;
        }

        /**
         * An option of the listening socket: {@code SO_REUSEADDR} (default on), {@code SO_REUSEPORT},
         * {@code SO_RCVBUF} (inherited by accepted connections), {@link NetOptions#IPV6_V6ONLY}.
         *
         * @param <T> the attachment's type
         * @param option the option
         * @param value its value
         * @return this builder
         */
        public <T> Builder option(SocketOption<T> option, T value) {
            listenerOptions.put(SocketOptionCodec.check(option, value), value);
            return this;
        }

        /**
         * An option of every accepted connection (TCP_NODELAY is on unless set here); see {@link NetOptions}.
         *
         * @param <T> the attachment's type
         * @param option the option
         * @param value its value
         * @return this builder
         */
        public <T> Builder connectionOption(SocketOption<T> option, T value) {
            connectionOptions.put(SocketOptionCodec.check(option, value), value);
            return this;
        }

        /**
         * Which mechanism serves the listener and its connections; default {@code -Dfdloop.net.mechanism}, else AUTO.
         *
         * @param choice the mechanism
         * @return this builder
         */
        public Builder mechanism(NetMechanism choice) {
            this.mechanism = Objects.requireNonNull(choice, "choice");
            return this;
        }

        /**
         * Binds and listens on {@code address} on {@code loop}. Any thread.
         *
         * @throws java.net.BindException when the address is in use or not this host's (the message names it)
         * @throws IllegalArgumentException when the address is unresolved or not an Inet/Unix-domain address
         *
         * @param loop the event loop that serves it
         * @param address the address
         * @param acceptor gives each accepted connection its handler
         * @return the listener, bound and accepting
         * @throws IOException when the kernel refuses the call
         */
        public Listener bind(EventLoop loop, SocketAddress address, Acceptor acceptor) throws IOException {
            return bind(List.of(Objects.requireNonNull(loop, "loop")), address, acceptor, false);
        }

        /**
         * Binds one listener per loop of {@code group} on {@code address}, with {@code SO_REUSEPORT}; with port
         * 0, the first binds an ephemeral port and the others the same one. TCP only. Any thread.
         *
         * @param group the loops to listen on
         * @param address the address
         * @param acceptor gives each accepted connection its handler
         * @return the listener, bound and accepting
         * @throws IOException when the kernel refuses the call
         */
        public Listener bind(EventLoopGroup group, SocketAddress address, Acceptor acceptor) throws IOException {
            if (address instanceof UnixDomainSocketAddress && group.size() > 1) {
                throw new IllegalArgumentException("a Unix-domain socket path cannot be shared by several loops "
                        + "(SO_REUSEPORT is for TCP): bind it on one loop");
            }
            return bind(group.loops(), address, acceptor, group.size() > 1);
        }

        private Listener bind(List<EventLoop> loops, SocketAddress address, Acceptor acceptor, boolean reusePort)
                throws IOException {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(acceptor, "acceptor");
            Map<SocketOption<?>, Object> listening = new LinkedHashMap<>(listenerOptions);
            if (reusePort) {
                listening.put(StandardSocketOptions.SO_REUSEPORT, Boolean.TRUE);
            }
            SocketConfig listenConfig = new SocketConfig(listening, mechanism, Connection.HANDLES);
            SocketConfig connectionConfig = new SocketConfig(connectionOptions, mechanism, Connection.HANDLES);
            int family = SocketAddresses.family(address);
            List<ListenSocket> sockets = new ArrayList<>();
            SocketAddress bound = address;
            SocketAddress firstBound = null;
            try {
                for (EventLoop loop : loops) {
                    Syscalls syscalls = Loops.host(loop).syscalls();
                    int fd = Sockets.open(syscalls, family);
                    SocketAddress local;
                    try {
                        listenConfig.applyToListener(syscalls, fd, family);
                        Sockets.bind(syscalls, fd, bound);
                        Sockets.listen(syscalls, fd, backlog, bound);
                        local = family == Sockets.AF_UNIX ? address : Sockets.localAddress(syscalls, fd);
                    } catch (IOException | RuntimeException e) {
                        syscalls.close(fd);
                        throw e;
                    }
                    if (firstBound == null) {
                        firstBound = local;
                        if (local instanceof InetSocketAddress inet && bound instanceof InetSocketAddress asked) {
                            bound = new InetSocketAddress(asked.getAddress(), inet.getPort());
                        }
                    }
                    sockets.add(register(loop, fd, family, local, connectionConfig, acceptor));
                }
            } catch (IOException | RuntimeException e) {
                for (ListenSocket socket : sockets) {
                    closeOnLoop(socket);
                }
                if (family == Sockets.AF_UNIX && !sockets.isEmpty()) {
                    Files.deleteIfExists(Path.of(((UnixDomainSocketAddress) address).getPath().toString()));
                }
                throw e;
            }
            return new Listener(List.copyOf(sockets), List.copyOf(loops), firstBound);
        }

        private static ListenSocket register(EventLoop loop, int fd, int family, SocketAddress local,
                                             SocketConfig config, Acceptor acceptor) throws IOException {
            NetEngine engine;
            try {
                engine = NetEngine.of(loop);
            } catch (RejectedExecutionException e) {
                Loops.host(loop).syscalls().close(fd);
                throw new IOException("event loop " + loop.name() + " is closed", e);
            }
            CompletableFuture<ListenSocket> registered = new CompletableFuture<>();
            Runnable start = () -> {
                try {
                    registered.complete(engine.mechanism(config.mechanism()).listen(fd, family, local, config, acceptor));
                } catch (IOException | RuntimeException e) {
                    engine.syscalls.close(fd);
                    registered.completeExceptionally(e);
                }
            };
            if (loop.inLoop()) {
                start.run();
            } else {
                try {
                    loop.execute(start);
                } catch (RejectedExecutionException e) {
                    engine.syscalls.close(fd);
                    throw new IOException("event loop " + loop.name() + " is closed", e);
                }
            }
            try {
                return registered.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof java.io.UncheckedIOException io) {
                    throw io.getCause(); // the mechanism asked for cannot run on this loop
                }
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }

        private static void closeOnLoop(ListenSocket socket) {
            EventLoop loop = socket.engine().loop;
            if (loop.inLoop()) {
                socket.close();
            } else {
                try {
                    loop.execute(socket::close);
                } catch (RejectedExecutionException closing) {
                    // the closing loop closes it
                }
            }
        }
    }
}
