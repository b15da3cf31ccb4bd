package io.fdloop;

import java.io.IOException;

/**
 * A system call failed: the exception names the call, the errno symbol and the kernel's
 * message, for example {@code io_submit: EINVAL (Invalid argument)}.
 *
 * <p><b>Immutable; thread-safe.</b>
 */
public class NativeIOException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final String errorName;

    public NativeIOException(String call, String errorName, String message) {
        super(message);
        this.call = call;
        this.errorName = errorName;
    }

    /** The system call (or operation) that failed, such as {@code "io_submit"}. */
    public String call() {
        return call;
    }

    /** The errno symbol, such as {@code "EINVAL"}. */
    public String errorName() {
        return errorName;
    }
}
