package io.fdloop.internal.linux;

import io.fdloop.NativeIOException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one errno-to-exception mapping. */
class ErrorsTest {

    @Test
    void shouldMapEbadfToClosedChannelWithTheCallAsCause() {
        Exception e = Errors.exception("read", -Errno.EBADF, "fd 7");
        ClosedChannelException closed = assertInstanceOf(ClosedChannelException.class, e);
        NativeIOException cause = assertInstanceOf(NativeIOException.class, closed.getCause());
        assertEquals("read", cause.call());
        assertEquals("EBADF", cause.errorName());
        assertTrue(cause.getMessage().contains("fd 7"), cause.getMessage());
    }

    @Test
    void shouldMapEnoentToNoSuchFile() {
        Exception e = Errors.exception("open", -Errno.ENOENT, "/no/such/file");
        NoSuchFileException missing = assertInstanceOf(NoSuchFileException.class, e);
        assertEquals("/no/such/file", missing.getFile());
        assertTrue(missing.getReason().contains("open") && missing.getReason().contains("ENOENT"),
                missing.getReason());
    }

    @Test
    void shouldMapEexistAndEaccesToTheirFileSystemExceptions() {
        assertInstanceOf(FileAlreadyExistsException.class, Errors.exception("open", -Errno.EEXIST, "/x"));
        assertInstanceOf(AccessDeniedException.class, Errors.exception("open", -Errno.EACCES, "/x"));
        assertInstanceOf(AccessDeniedException.class, Errors.ioException("open", -Errno.EACCES, "/x"));
    }

    @Test
    void shouldMapEcanceledToCancellation() {
        Exception e = Errors.exception("io_getevents", -Errno.ECANCELED, null);
        CancellationException cancelled = assertInstanceOf(CancellationException.class, e);
        assertTrue(cancelled.getMessage().contains("ECANCELED"), cancelled.getMessage());
    }

    @Test
    void shouldMapEioToNativeIOExceptionNamingCallSymbolAndMessage() {
        Exception e = Errors.exception("io_submit", -Errno.EIO, null);
        NativeIOException io = assertInstanceOf(NativeIOException.class, e);
        assertEquals("io_submit", io.call());
        assertEquals("EIO", io.errorName());
        assertEquals("io_submit: EIO (" + Errno.description(Errno.EIO) + ")", io.getMessage());
        assertTrue(io.getMessage().contains("Input/output error"), io.getMessage());
    }

    @Test
    void shouldAlwaysGiveAnIOExceptionFromIoException() {
        IOException cancelled = Errors.ioException("io_cancel", -Errno.ECANCELED, null);
        assertInstanceOf(NativeIOException.class, cancelled);
        assertInstanceOf(ClosedChannelException.class, Errors.ioException("write", -Errno.EBADF, null));
        assertInstanceOf(NoSuchFileException.class, Errors.ioException("open", -Errno.ENOENT, "/x"));
        IOException invalid = Errors.ioException("open", -Errno.EINVAL, "/x");
        assertEquals("open: EINVAL (Invalid argument): /x", invalid.getMessage());
    }

    @Test
    void shouldMapWhatTheRealKernelReturns() throws IOException {
        // close(-1) really fails with EBADF.
        int r = Syscalls.linux().close(-1);
        assertEquals(-Errno.EBADF, r);
        assertInstanceOf(ClosedChannelException.class, Errors.exception("close", r, null));
    }
    @Test
    void shouldMapSocketErrnosToTheJdksNetExceptionsNamingTheAddress() {
        java.net.InetSocketAddress peer = new java.net.InetSocketAddress("127.0.0.1", 5555);
        IOException refused = Errors.socketException("connect", -Errno.ECONNREFUSED, peer);
        assertInstanceOf(java.net.ConnectException.class, refused);
        assertEquals("connection refused: /127.0.0.1:5555", refused.getMessage());
        assertInstanceOf(NativeIOException.class, refused.getCause());
        assertInstanceOf(java.net.SocketTimeoutException.class, Errors.socketException("connect", -Errno.ETIMEDOUT, peer));
        assertInstanceOf(java.net.NoRouteToHostException.class, Errors.socketException("connect", -Errno.ENETUNREACH, peer));
        assertInstanceOf(java.net.NoRouteToHostException.class, Errors.socketException("connect", -Errno.EHOSTUNREACH, peer));
        IOException inUse = Errors.socketException("bind", -Errno.EADDRINUSE, peer);
        assertInstanceOf(java.net.BindException.class, inUse);
        assertTrue(inUse.getMessage().startsWith("address already in use: /127.0.0.1:5555"), inUse.getMessage());
        assertInstanceOf(java.net.BindException.class, Errors.socketException("bind", -Errno.EADDRNOTAVAIL, peer));
        IOException reset = Errors.socketException("recv", -Errno.ECONNRESET, peer);
        assertInstanceOf(java.net.SocketException.class, reset);
        assertEquals("connection reset by peer /127.0.0.1:5555", reset.getMessage());
        IOException pipe = Errors.socketException("sendmsg", -Errno.EPIPE, peer);
        assertTrue(pipe.getMessage().contains("broken pipe") && pipe.getMessage().contains("/127.0.0.1:5555"), pipe.getMessage());
        assertInstanceOf(java.net.SocketException.class, Errors.socketException("recv", -Errno.ETIMEDOUT, peer));
        IOException other = Errors.socketException("sendmsg", -Errno.ENOBUFS, peer);
        assertInstanceOf(NativeIOException.class, other);
        assertTrue(other.getMessage().contains("ENOBUFS") && other.getMessage().contains("5555"), other.getMessage());
    }
}
