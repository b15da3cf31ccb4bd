package io.fdloop.internal.linux;

import io.fdloop.NativeIOException;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CancellationException;

/**
 * The one place where an errno becomes an exception. Plain syscalls, {@code io_event.res} and
 * io_uring's {@code cqe.res} all arrive here as {@code -errno}; socket calls get the JDK's
 * {@code java.net} exceptions, naming the address they concern.
 *
 * <p><b>Stateless; thread-safe.</b> Each factory returns its exception; none throws it.
 */
public final class Errors {
    private Errors() {
    }

    /**
     * The exception for a failed {@code call} with {@code negativeErrno} as returned by
     * {@link Syscalls}; {@code subject} (a path, or null) is named in the message.
     */
    public static Exception exception(String call, long negativeErrno, String subject) {
        int errno = (int) -negativeErrno;
        return switch (errno) {
            case Errno.EBADF -> withCause(new ClosedChannelException(), call, errno, subject);
            case Errno.ENOENT -> new NoSuchFileException(subject, null, describe(call, errno, null));
            case Errno.EEXIST -> new FileAlreadyExistsException(subject, null, describe(call, errno, null));
            case Errno.EACCES -> new AccessDeniedException(subject, null, describe(call, errno, null));
            case Errno.ECANCELED -> new CancellationException(describe(call, errno, subject));
            default -> ioException(call, negativeErrno, subject);
        };
    }

    /** Like {@link #exception} but always an {@link IOException}: for calls that cannot be cancelled. */
    public static IOException ioException(String call, long negativeErrno, String subject) {
        int errno = (int) -negativeErrno;
        return switch (errno) {
            case Errno.EBADF, Errno.ENOENT, Errno.EEXIST, Errno.EACCES -> (IOException) exception(call, negativeErrno, subject);
            default -> new NativeIOException(call, Errno.name(errno), describe(call, errno, subject));
        };
    }

    /** {@code "io_submit: EINVAL (Invalid argument)"}, with {@code ": subject"} appended when given. */
    public static String describe(String call, int errno, String subject) {
        String text = call + ": " + Errno.name(errno) + " (" + Errno.description(errno) + ")";
        return subject == null ? text : text + ": " + subject;
    }

    /**
     * The exception for a failed socket {@code call} concerning {@code address} (the peer, or the
     * local address for {@code bind}): {@code ECONNREFUSED} is a {@link ConnectException},
     * {@code ETIMEDOUT} on {@code connect} a {@link SocketTimeoutException}, {@code ENETUNREACH} and
     * {@code EHOSTUNREACH} a {@link NoRouteToHostException}, {@code EADDRINUSE} and
     * {@code EADDRNOTAVAIL} a {@link BindException}, {@code ECONNRESET} and {@code EPIPE} a
     * {@link SocketException} naming the peer; each has the {@link NativeIOException} as its cause.
     */
    public static IOException socketException(String call, long negativeErrno, SocketAddress address) {
        int errno = (int) -negativeErrno;
        String where = address == null ? "" : " " + address;
        IOException exception = switch (errno) {
            case Errno.ECONNREFUSED -> new ConnectException("connection refused:" + where);
            case Errno.ETIMEDOUT -> call.equals("connect")
                    ? new SocketTimeoutException("connect to" + where + " timed out in the kernel (ETIMEDOUT)")
                    : new SocketException("connection to" + where + " timed out (TCP retransmissions, keepalive "
                    + "or TCP_USER_TIMEOUT gave up)");
            case Errno.ENETUNREACH -> new NoRouteToHostException("network unreachable:" + where);
            case Errno.EHOSTUNREACH -> new NoRouteToHostException("no route to host:" + where);
            case Errno.EADDRINUSE -> new BindException("address already in use:" + where
                    + " (another socket is bound to it; SO_REUSEPORT lets several listeners share a port)");
            case Errno.EADDRNOTAVAIL -> new BindException("address not available on this host:" + where);
            case Errno.ECONNRESET -> new SocketException("connection reset by peer" + where);
            case Errno.EPIPE -> new SocketException("broken pipe: the peer" + where + " closed the connection");
            default -> null;
        };
        if (exception == null) {
            return ioException(call, negativeErrno, address == null ? null : address.toString());
        }
        exception.initCause(new NativeIOException(call, Errno.name(errno), describe(call, errno,
                address == null ? null : address.toString())));
        return exception;
    }

    /** A connect that fdloop's own timer gave up on after {@code timeoutMs}. */
    public static SocketTimeoutException connectTimedOut(SocketAddress address, long timeoutMs) {
        return new SocketTimeoutException("connect to " + address + " timed out after " + timeoutMs + " ms");
    }

    private static <T extends Exception> T withCause(T exception, String call, int errno, String subject) {
        exception.initCause(new NativeIOException(call, Errno.name(errno), describe(call, errno, subject)));
        return exception;
    }
}
