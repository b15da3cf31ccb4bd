package io.fdloop.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * One-line words for what went wrong, for the command's error messages.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
final class Errors {
    private Errors() {
    }

    /** What {@code e} says, without the exception's class name or a stack trace. */
    static String reason(Throwable e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException missing) {
            return "no such file or directory: " + missing.getFile();
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        String message = e.getMessage();
        return message != null ? message : e.getClass().getSimpleName();
    }
}
