package io.fdloop.internal.file;

import io.fdloop.file.AsyncFile;
import io.fdloop.file.DirectAlignment;
import io.fdloop.internal.linux.Errno;
import io.fdloop.internal.linux.Errors;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Path;

/**
 * What one file accepts of an operation before the kernel sees it — the mode it was opened in,
 * the buffers, and for O_DIRECT the alignment — and the words for what the kernel refused.
 *
 * <p><b>Immutable; thread-safe.</b>
 */
final class RequestChecks {
    private final Path path;
    private final boolean readable;
    private final boolean writable;
    private final DirectAlignment alignment; // null: not O_DIRECT

    RequestChecks(Path path, boolean readable, boolean writable, DirectAlignment alignment) {
        this.path = path;
        this.readable = readable;
        this.writable = writable;
        this.alignment = alignment;
    }

    /** Why the file does not take {@code op} at {@code position} whatever its buffers, or null. */
    RuntimeException refusal(Operation op, long position) {
        if (op.readsIntoBuffers() && !readable) {
            return new NonReadableChannelException();
        }
        if (op.writesFromBuffers() && !writable) {
            return new NonWritableChannelException();
        }
        if (position < 0) {
            return new IllegalArgumentException("position must be >= 0, was " + position);
        }
        return null;
    }

    /** Why the kernel cannot use {@code buffer} for one transfer of {@code length} bytes at {@code position}, or null. */
    String bufferProblem(Object buffer, boolean kernelWrites, long position) {
        String problem = Buffers.problem(buffer, kernelWrites);
        if (problem == null) {
            problem = addressProblem(Buffers.address(buffer));
        }
        return problem != null ? problem : transferProblem(Buffers.length(buffer), position);
    }

    /** Why the kernel cannot use {@code buffers} as one vectored transfer at {@code position}, or null. */
    String vectorProblem(Object[] buffers, boolean kernelWrites, long position) {
        if (buffers.length == 0 || buffers.length > AsyncFile.MAX_BUFFERS) {
            return "a vectored operation takes 1 to " + AsyncFile.MAX_BUFFERS + " buffers, was given " + buffers.length;
        }
        long total = 0;
        for (int i = 0; i < buffers.length; i++) {
            String problem = Buffers.problem(buffers[i], kernelWrites);
            if (problem == null) {
                problem = addressProblem(Buffers.address(buffers[i]));
            }
            if (problem == null && alignment != null && Buffers.length(buffers[i]) % alignment.offset() != 0) {
                problem = misaligned("length", Long.toString(Buffers.length(buffers[i])), alignment.offset());
            }
            if (problem != null) {
                return "buffer " + i + ": " + problem;
            }
            total += Buffers.length(buffers[i]);
        }
        return transferProblem(total, position);
    }

    private String addressProblem(long address) {
        if (alignment != null && address % alignment.memory() != 0) {
            return misaligned("buffer address", "0x" + Long.toHexString(address), alignment.memory());
        }
        return null;
    }

    private String transferProblem(long length, long position) {
        if (length > AsyncFile.MAX_TRANSFER) {
            return "one operation transfers at most " + AsyncFile.MAX_TRANSFER + " bytes (Linux's limit), was asked " + length;
        }
        if (alignment != null) {
            if (position % alignment.offset() != 0) {
                return misaligned("file offset", Long.toString(position), alignment.offset());
            }
            if (length % alignment.offset() != 0) {
                return misaligned("length", Long.toString(length), alignment.offset());
            }
        }
        return null;
    }

    private String misaligned(String what, String value, int required) {
        return "O_DIRECT on " + path + " needs buffer addresses aligned to " + alignment.memory()
                + " bytes and file offsets and lengths to multiples of " + alignment.offset() + " bytes (from "
                + alignment.source() + "); " + what + " " + value + " is not a multiple of " + required
                + " (AlignedBuffers allocates aligned buffers)";
    }

    /** The exception for a completion with {@code negativeErrno}; {@code closing}: the file is closing. */
    /**
     * Why a {@link Operation#WRITE_FDATASYNC} failed, or null: the write's result decides first
     * ({@code written} of {@code length} bytes at {@code position}), then the sync's
     * ({@code syncResult}, when {@code syncRan}).
     */
    Throwable writeThenSyncFailure(long written, long length, long position, boolean syncRan, long syncResult,
                                   boolean closing) {
        if (written < 0) {
            return completionFailure(Operation.WRITE, written, closing);
        }
        if (written != length || !syncRan) {
            return new IOException("a short write to " + path + ": " + written + " of " + length + " bytes at offset "
                    + position + "; the sync was not issued, so none of them is known to be durable");
        }
        return syncResult < 0 ? completionFailure(Operation.FDATASYNC, syncResult, closing) : null;
    }

    Throwable completionFailure(Operation op, long negativeErrno, boolean closing) {
        if (closing && (negativeErrno == -Errno.ECANCELED || negativeErrno == -Errno.EBADF)) {
            AsynchronousCloseException closed = new AsynchronousCloseException();
            closed.initCause(Errors.exception(op.callName(), negativeErrno, path.toString()));
            return closed;
        }
        if (negativeErrno == -Errno.EINVAL && alignment != null) {
            return new IOException(Errors.describe(op.callName(), Errno.EINVAL, path.toString())
                    + "; O_DIRECT needs buffer addresses aligned to " + alignment.memory()
                    + " bytes and offsets and lengths to multiples of " + alignment.offset());
        }
        return Errors.exception(op.callName(), negativeErrno, path.toString());
    }
}
