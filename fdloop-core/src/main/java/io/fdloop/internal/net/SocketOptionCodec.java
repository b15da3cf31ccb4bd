package io.fdloop.internal.net;

import io.fdloop.internal.linux.Errors;
import io.fdloop.internal.linux.Sockets;
import io.fdloop.internal.linux.Syscalls;
import io.fdloop.net.NetOptions;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketOption;
import java.net.StandardSocketOptions;

import static io.fdloop.internal.linux.SocketOptionNumbers.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Typed socket options to and from {@code setsockopt}/{@code getsockopt}: which level and name each
 * is, what values it takes, and which sockets it applies to.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class SocketOptionCodec {
    private SocketOptionCodec() {
    }

    /** Checks that fdloop knows {@code option} and that {@code value} fits it; returns the option fdloop uses for it. */
    public static SocketOption<?> check(SocketOption<?> option, Object value) {
        SocketOption<?> known = canonical(option);
        if (value == null) {
            throw new IllegalArgumentException(option.name() + " needs a value of type " + option.type().getSimpleName()
                    + ", not null");
        }
        if (!known.type().isInstance(value)) {
            throw new IllegalArgumentException(option.name() + " takes a " + known.type().getSimpleName()
                    + ", not a " + value.getClass().getSimpleName() + " (" + value + ")");
        }
        if (value instanceof Integer n) {
            String problem = range(known, n);
            if (problem != null) {
                throw new IllegalArgumentException(option.name() + " " + problem + ", was " + n);
            }
        }
        return known;
    }

    private static String range(SocketOption<?> option, int n) {
        if (option == StandardSocketOptions.SO_SNDBUF || option == StandardSocketOptions.SO_RCVBUF) {
            return n > 0 ? null : "must be > 0 bytes";
        }
        if (option == NetOptions.TCP_KEEPIDLE || option == NetOptions.TCP_KEEPINTERVAL) {
            return n >= 1 && n <= 32767 ? null : "must be 1 to 32767 seconds";
        }
        if (option == NetOptions.TCP_KEEPCOUNT) {
            return n >= 1 && n <= 127 ? null : "must be 1 to 127 probes";
        }
        if (option == NetOptions.TCP_USER_TIMEOUT) {
            return n >= 0 ? null : "must be >= 0 ms";
        }
        if (option == NetOptions.WRITE_HIGH_WATER_MARK || option == NetOptions.WRITE_LOW_WATER_MARK) {
            return n >= 0 ? null : "must be >= 0 bytes";
        }
        if (option == StandardSocketOptions.SO_LINGER) {
            return n <= 65535 ? null : "must be at most 65535 seconds (negative: off)";
        }
        return null;
    }

    /** The option fdloop uses for {@code option} (fdloop's own for the JDK's extended ones); throws for one it does not know. */
    public static SocketOption<?> known(SocketOption<?> option) {
        return canonical(option);
    }

    /** fdloop's own options for the JDK's extended ones of the same name ({@code jdk.net.ExtendedSocketOptions}). */
    private static SocketOption<?> canonical(SocketOption<?> option) {
        if (option == null) {
            throw new IllegalArgumentException("option must not be null");
        }
        for (SocketOption<?> known : KNOWN) {
            if (known == option) {
                return known;
            }
        }
        if (option.type() == Integer.class) {
            switch (option.name()) {
                case "TCP_KEEPIDLE" -> {
                    return NetOptions.TCP_KEEPIDLE;
                }
                case "TCP_KEEPINTERVAL" -> {
                    return NetOptions.TCP_KEEPINTERVAL;
                }
                case "TCP_KEEPCOUNT" -> {
                    return NetOptions.TCP_KEEPCOUNT;
                }
                default -> {
                }
            }
        }
        throw new UnsupportedOperationException("fdloop sockets do not support the option " + option.name()
                + "; they take TCP_NODELAY, SO_KEEPALIVE, SO_SNDBUF, SO_RCVBUF, SO_LINGER, SO_REUSEADDR, SO_REUSEPORT "
                + "(StandardSocketOptions) and NetOptions' constants");
    }

    private static final SocketOption<?>[] KNOWN = {
            StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_LINGER, StandardSocketOptions.SO_REUSEADDR,
            StandardSocketOptions.SO_REUSEPORT, NetOptions.TCP_KEEPIDLE, NetOptions.TCP_KEEPINTERVAL,
            NetOptions.TCP_KEEPCOUNT, NetOptions.TCP_USER_TIMEOUT, NetOptions.IPV6_V6ONLY, NetOptions.TCP_CORK,
            NetOptions.WRITE_HIGH_WATER_MARK, NetOptions.WRITE_LOW_WATER_MARK};

    /** Whether {@code option} lives in fdloop only (the watermarks), never in the kernel. */
    public static boolean isUserSpace(SocketOption<?> option) {
        return option == NetOptions.WRITE_HIGH_WATER_MARK || option == NetOptions.WRITE_LOW_WATER_MARK;
    }

    /** Sets a checked option on {@code fd}, a socket of {@code family}. */
    public static void set(Syscalls syscalls, int fd, int family, SocketOption<?> option, Object value) throws IOException {
        if (isUserSpace(option)) {
            return;
        }
        int[] levelName = levelAndName(option, family);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer;
            if (option == StandardSocketOptions.SO_LINGER) {
                int seconds = (Integer) value;
                if (seconds > 0) {
                    return; // fdloop's own bound for close(): the kernel's would block close(2) on the loop
                }
                buffer = arena.allocate(LINGER_SIZE, 4);
                buffer.set(JAVA_INT, LINGER_ONOFF, seconds == 0 ? 1 : 0);
                buffer.set(JAVA_INT, LINGER_SECONDS, 0);
            } else {
                buffer = arena.allocate(JAVA_INT);
                buffer.set(JAVA_INT, 0, value instanceof Boolean b ? (b ? 1 : 0) : (Integer) value);
            }
            int r = syscalls.setsockopt(fd, levelName[0], levelName[1], buffer, (int) buffer.byteSize());
            if (r < 0) {
                throw Errors.ioException("setsockopt", r, option.name() + "=" + value);
            }
        }
    }

    /** The kernel's value of {@code option} on {@code fd}. */
    public static Object get(Syscalls syscalls, int fd, int family, SocketOption<?> option) throws IOException {
        int[] levelName = levelAndName(option, family);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(LINGER_SIZE, 4);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, (int) buffer.byteSize());
            int r = syscalls.getsockopt(fd, levelName[0], levelName[1], buffer, length);
            if (r < 0) {
                throw Errors.ioException("getsockopt", r, option.name());
            }
            if (option == StandardSocketOptions.SO_LINGER) {
                return buffer.get(JAVA_INT, LINGER_ONOFF) == 0 ? -1 : buffer.get(JAVA_INT, LINGER_SECONDS);
            }
            int value = buffer.get(JAVA_INT, 0);
            return option.type() == Boolean.class ? (Object) (value != 0) : (Object) value;
        }
    }

    /** {level, name}; a TCP or IPv6 option on a socket of another family is refused. */
    private static int[] levelAndName(SocketOption<?> option, int family) {
        int[] socketLevel = socketLevel(option);
        if (socketLevel != null) {
            return socketLevel;
        }
        if (option == NetOptions.IPV6_V6ONLY) {
            if (family != Sockets.AF_INET6) {
                throw new UnsupportedOperationException("IPV6_V6ONLY applies to IPv6 sockets only");
            }
            return new int[] {IPPROTO_IPV6, IPV6_V6ONLY};
        }
        if (family == Sockets.AF_UNIX) {
            throw new UnsupportedOperationException(option.name() + " applies to TCP sockets, not Unix-domain ones");
        }
        int name;
        if (option == StandardSocketOptions.TCP_NODELAY) {
            name = TCP_NODELAY;
        } else if (option == NetOptions.TCP_KEEPIDLE) {
            name = TCP_KEEPIDLE;
        } else if (option == NetOptions.TCP_KEEPINTERVAL) {
            name = TCP_KEEPINTVL;
        } else if (option == NetOptions.TCP_KEEPCOUNT) {
            name = TCP_KEEPCNT;
        } else if (option == NetOptions.TCP_USER_TIMEOUT) {
            name = TCP_USER_TIMEOUT;
        } else if (option == NetOptions.TCP_CORK) {
            name = TCP_CORK;
        } else {
            throw new UnsupportedOperationException(option.name() + " is not a kernel socket option");
        }
        return new int[] {IPPROTO_TCP, name};
    }

    private static int[] socketLevel(SocketOption<?> option) {
        int name;
        if (option == StandardSocketOptions.SO_KEEPALIVE) {
            name = SO_KEEPALIVE;
        } else if (option == StandardSocketOptions.SO_SNDBUF) {
            name = SO_SNDBUF;
        } else if (option == StandardSocketOptions.SO_RCVBUF) {
            name = SO_RCVBUF;
        } else if (option == StandardSocketOptions.SO_LINGER) {
            name = SO_LINGER;
        } else if (option == StandardSocketOptions.SO_REUSEADDR) {
            name = SO_REUSEADDR;
        } else if (option == StandardSocketOptions.SO_REUSEPORT) {
            name = SO_REUSEPORT;
        } else {
            return null;
        }
        return new int[] {SOL_SOCKET, name};
    }
}
