package io.fdloop.internal.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * socket(2), bind(2), listen(2), connect(2), getsockname(2) and getpeername(2) for stream sockets, with the constants
 * of those and of accept4(2), shutdown(2) and sendmsg(2). Every value here is the same on x86_64
 * and aarch64 ({@code include/linux/socket.h}, {@code include/linux/net.h}; {@code SOCK_NONBLOCK} and
 * {@code SOCK_CLOEXEC} are {@code O_NONBLOCK} and {@code O_CLOEXEC}); {@code ArchTest} checks them.
 *
 * <p><b>Stateless; thread-safe.</b> Failures become exceptions through {@link Errors}, naming the address.
 */
public final class Sockets {
    public static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
    public static final int SOCK_STREAM = 1, SOCK_NONBLOCK = Arch.O_NONBLOCK, SOCK_CLOEXEC = Arch.O_CLOEXEC;
    public static final int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
    public static final int MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000, MSG_MORE = 0x8000;

    private Sockets() {
    }

    /** A non-blocking, close-on-exec stream socket of {@code family}. */
    public static int open(Syscalls syscalls, int family) throws IOException {
        return open(syscalls, family, SOCK_NONBLOCK);
    }

    /**
     * A blocking, close-on-exec stream socket of {@code family}: for io_uring, which never blocks on a socket
     * but polls it, and whose worker threads must wait on it (a splice into a full socket) instead of spinning.
     */
    public static int openBlocking(Syscalls syscalls, int family) throws IOException {
        return open(syscalls, family, 0);
    }

    private static int open(Syscalls syscalls, int family, int flags) throws IOException {
        int fd = syscalls.socket(family, SOCK_STREAM | flags | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw Errors.ioException("socket", fd, null);
        }
        return fd;
    }

    /** bind(2) to {@code address}; a port or path in use is a {@code BindException} naming it. */
    public static void bind(Syscalls syscalls, int fd, SocketAddress address) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sockaddr = arena.allocate(SocketAddresses.MAX_SIZE, 8);
            int length = SocketAddresses.encode(address, sockaddr);
            int r = syscalls.bind(fd, sockaddr, length);
            if (r < 0) {
                throw Errors.socketException("bind", r, address);
            }
        }
    }

    public static void listen(Syscalls syscalls, int fd, int backlog, SocketAddress address) throws IOException {
        int r = syscalls.listen(fd, backlog);
        if (r < 0) {
            throw Errors.socketException("listen", r, address);
        }
    }

    /**
     * Starts a non-blocking connect: 0 when connected at once (as Unix sockets are), {@code -EINPROGRESS}
     * while TCP's handshake runs, or another {@code -errno}.
     */
    public static int connect(Syscalls syscalls, int fd, SocketAddress address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sockaddr = arena.allocate(SocketAddresses.MAX_SIZE, 8);
            int length = SocketAddresses.encode(address, sockaddr);
            while (true) {
                int r = syscalls.connect(fd, sockaddr, length);
                if (r != -Errno.EINTR) {
                    return r;
                }
            }
        }
    }

    /** The address the socket is bound to (getsockname). */
    public static SocketAddress localAddress(Syscalls syscalls, int fd) throws IOException {
        return address(syscalls, fd, false);
    }

    /** The address of the connected peer (getpeername). */
    public static SocketAddress remoteAddress(Syscalls syscalls, int fd) throws IOException {
        return address(syscalls, fd, true);
    }

    private static SocketAddress address(Syscalls syscalls, int fd, boolean peer) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sockaddr = arena.allocate(SocketAddresses.MAX_SIZE, 8);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, SocketAddresses.MAX_SIZE);
            int r = peer ? syscalls.getpeername(fd, sockaddr, length) : syscalls.getsockname(fd, sockaddr, length);
            if (r < 0) {
                throw Errors.ioException(peer ? "getpeername" : "getsockname", r, "fd " + fd);
            }
            return SocketAddresses.decode(sockaddr, length.get(JAVA_INT, 0));
        }
    }
}
