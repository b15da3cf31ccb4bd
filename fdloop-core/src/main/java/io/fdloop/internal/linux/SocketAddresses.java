package io.fdloop.internal.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The socket address structures, to and from {@link InetSocketAddress} and {@link UnixDomainSocketAddress}.
 * {@code sa_family} is in host order; ports and IP addresses in network (big-endian) order:
 * <pre>
 * sockaddr_in (16 bytes, netinet/in.h)
 *  0        2        4                 8                 16
 *  +--------+--------+-----------------+-----------------+
 *  | family |  port  |  IPv4 address   |   zero (8)      |
 *  +--------+--------+-----------------+-----------------+
 *
 * sockaddr_in6 (28 bytes, linux/in6.h)
 *  0        2        4                 8                                 24          28
 *  +--------+--------+-----------------+---------------------------------+-----------+
 *  | family |  port  |    flowinfo     |        IPv6 address (16)        | scope_id  |
 *  +--------+--------+-----------------+---------------------------------+-----------+
 *
 * sockaddr_un (110 bytes, linux/un.h)
 *  0        2                                                                        110
 *  +--------+------------------------------------------------------------------------+
 *  | family |  sun_path[108]: the path, NUL-terminated (so at most 107 bytes)         |
 *  +--------+------------------------------------------------------------------------+
 * </pre>
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class SocketAddresses {
    /** Large enough for any of the three ({@code sizeof(struct sockaddr_storage)} is 128). */
    public static final int MAX_SIZE = 128;
    public static final int IN_SIZE = 16, IN6_SIZE = 28, UN_SIZE = 110;
    public static final long FAMILY = 0, PORT = 2, IN_ADDR = 4, IN6_FLOWINFO = 4, IN6_ADDR = 8, IN6_SCOPE_ID = 24,
            UN_PATH = 2;
    /** The longest Unix socket path, in bytes: {@code sun_path} less its terminating NUL. */
    public static final int UN_PATH_MAX = 107;

    private static final ValueLayout.OfShort NETWORK_SHORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);

    private SocketAddresses() {
    }

    /** The address family (AF_INET, AF_INET6, AF_UNIX) a socket for {@code address} needs. */
    public static int family(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            InetAddress ip = resolved(inet);
            return ip instanceof Inet6Address ? Sockets.AF_INET6 : Sockets.AF_INET;
        }
        if (address instanceof UnixDomainSocketAddress) {
            return Sockets.AF_UNIX;
        }
        throw unsupported(address);
    }

    /** Writes {@code address} into {@code dst} (at least {@link #MAX_SIZE} bytes); returns its length. */
    public static int encode(SocketAddress address, MemorySegment dst) {
        dst.asSlice(0, MAX_SIZE).fill((byte) 0);
        if (address instanceof InetSocketAddress inet) {
            InetAddress ip = resolved(inet);
            byte[] bytes = ip.getAddress();
            dst.set(NETWORK_SHORT, PORT, (short) inet.getPort());
            if (ip instanceof Inet6Address ip6) {
                dst.set(JAVA_SHORT, FAMILY, (short) Sockets.AF_INET6);
                MemorySegment.copy(bytes, 0, dst, JAVA_BYTE, IN6_ADDR, 16);
                dst.set(JAVA_INT, IN6_SCOPE_ID, ip6.getScopeId());
                return IN6_SIZE;
            }
            dst.set(JAVA_SHORT, FAMILY, (short) Sockets.AF_INET);
            MemorySegment.copy(bytes, 0, dst, JAVA_BYTE, IN_ADDR, 4);
            return IN_SIZE;
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            byte[] path = unix.getPath().toString().getBytes(StandardCharsets.UTF_8);
            if (path.length > UN_PATH_MAX) {
                throw new IllegalArgumentException("Unix socket path " + unix.getPath() + " is " + path.length
                        + " bytes long; Linux allows at most " + UN_PATH_MAX + " (use a shorter or relative path)");
            }
            dst.set(JAVA_SHORT, FAMILY, (short) Sockets.AF_UNIX);
            MemorySegment.copy(path, 0, dst, JAVA_BYTE, UN_PATH, path.length);
            // An empty path asks the kernel for an unnamed socket: only the family is passed.
            return path.length == 0 ? (int) UN_PATH : (int) UN_PATH + path.length + 1;
        }
        throw unsupported(address);
    }

    /** The address in the first {@code length} bytes of {@code src}, as getsockname/accept4 filled them. */
    public static SocketAddress decode(MemorySegment src, int length) {
        int family = length < 2 ? Sockets.AF_UNIX : src.get(JAVA_SHORT, FAMILY);
        try {
            switch (family) {
                case Sockets.AF_INET -> {
                    byte[] ip = src.asSlice(IN_ADDR, 4).toArray(JAVA_BYTE);
                    return new InetSocketAddress(InetAddress.getByAddress(ip), Short.toUnsignedInt(src.get(NETWORK_SHORT, PORT)));
                }
                case Sockets.AF_INET6 -> {
                    byte[] ip = src.asSlice(IN6_ADDR, 16).toArray(JAVA_BYTE);
                    int scope = src.get(JAVA_INT, IN6_SCOPE_ID);
                    InetAddress address = scope == 0 ? InetAddress.getByAddress(ip) : Inet6Address.getByAddress(null, ip, scope);
                    return new InetSocketAddress(address, Short.toUnsignedInt(src.get(NETWORK_SHORT, PORT)));
                }
                case Sockets.AF_UNIX -> {
                    int max = Math.max(0, length - (int) UN_PATH);
                    int end = 0;
                    while (end < max && src.get(JAVA_BYTE, UN_PATH + end) != 0) {
                        end++;
                    }
                    byte[] path = src.asSlice(UN_PATH, end).toArray(JAVA_BYTE);
                    return UnixDomainSocketAddress.of(new String(path, StandardCharsets.UTF_8));
                }
                default -> throw new IllegalStateException("the kernel returned a socket address of family " + family);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address is always valid", e);
        }
    }

    private static InetAddress resolved(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address " + address + " is unresolved: resolve the host name first "
                    + "(new InetSocketAddress(host, port) does)");
        }
        InetAddress ip = address.getAddress();
        if (!(ip instanceof Inet4Address) && !(ip instanceof Inet6Address)) {
            throw unsupported(address);
        }
        return ip;
    }

    private static IllegalArgumentException unsupported(SocketAddress address) {
        return new IllegalArgumentException("fdloop sockets take an InetSocketAddress (IPv4 or IPv6) or a "
                + "UnixDomainSocketAddress, not " + (address == null ? "null" : address.getClass().getName()));
    }
}
