package io.fdloop.internal.linux;

import io.fdloop.NativeIOException;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CancellationException;

/**
 * The one place where an errno becomes an exception. Plain syscalls, {@code io_event.res} and
 * io_uring's {@code cqe.res} all arrive here as {@code -errno}.
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

    private static <T extends Exception> T withCause(T exception, String call, int errno, String subject) {
        exception.initCause(new NativeIOException(call, Errno.name(errno), describe(call, errno, subject)));
        return exception;
    }
}
