package io.fdloop.internal.linux;

/**
 * Levels and names of the socket options fdloop sets, and {@code struct linger}. The same on x86_64
 * and aarch64: both take {@code SOL_SOCKET}'s options from {@code include/uapi/asm-generic/socket.h}
 * (x86's {@code asm/socket.h} only includes it; alpha, mips, parisc and sparc differ), and the TCP and
 * IPv6 ones from {@code linux/tcp.h} and {@code linux/in6.h}. {@code ArchTest} checks every value.
 * <pre>
 * struct linger (8 bytes)
 *  0          4          8
 *  +----------+----------+
 *  | l_onoff  | l_linger |   seconds
 *  +----------+----------+
 * </pre>
 *
 * <p><b>Constants only; thread-safe.</b>
 */
public final class SocketOptionNumbers {
    public static final int SOL_SOCKET = 1, SO_REUSEADDR = 2, SO_TYPE = 3, SO_ERROR = 4, SO_SNDBUF = 7, SO_RCVBUF = 8,
            SO_KEEPALIVE = 9, SO_LINGER = 13, SO_REUSEPORT = 15;
    public static final int IPPROTO_TCP = 6, TCP_NODELAY = 1, TCP_CORK = 3, TCP_KEEPIDLE = 4, TCP_KEEPINTVL = 5,
            TCP_KEEPCNT = 6, TCP_USER_TIMEOUT = 18;
    public static final int IPPROTO_IPV6 = 41, IPV6_V6ONLY = 26;
    public static final int LINGER_SIZE = 8, LINGER_ONOFF = 0, LINGER_SECONDS = 4;

    private SocketOptionNumbers() {
    }
}
