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

    /** The system call that failed. */
    private final String call;
    /** Its errno symbol. */
    private final String errorName;

    /**
     * The exception for a failed call.
     *
     * @param call      the system call (or operation), such as {@code "io_submit"}
     * @param errorName the errno symbol, such as {@code "EINVAL"}
     * @param message   the whole message: the call, the symbol, the kernel's description, the subject
     */
    public NativeIOException(String call, String errorName, String message) {
        super(message);
        this.call = call;
        this.errorName = errorName;
    }

    /**
     * The system call (or operation) that failed.
     *
     * @return such as {@code "io_submit"}
     */
    public String call() {
        return call;
    }

    /**
     * The errno symbol.
     *
     * @return such as {@code "EINVAL"}
     */
    public String errorName() {
        return errorName;
    }
}
