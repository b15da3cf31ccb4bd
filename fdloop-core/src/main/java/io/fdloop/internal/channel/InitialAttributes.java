package io.fdloop.internal.channel;

import io.fdloop.internal.linux.FileOpen;

import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The initial attributes of a file an fdloop channel creates: {@code posix:permissions}, as the
 * JDK's channels take, and nothing else.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
final class InitialAttributes {
    private InitialAttributes() {
    }

    /**
     * The open(2) mode for {@code attrs}: the permissions given, or the default (0666 before the umask).
     *
     * @throws UnsupportedOperationException for any other attribute, worded as the JDK's
     */
    static int mode(FileAttribute<?>... attrs) {
        int mode = FileOpen.DEFAULT_MODE;
        for (FileAttribute<?> attr : attrs) {
            if (!attr.name().equals("posix:permissions") && !attr.name().equals("unix:permissions")) {
                throw new UnsupportedOperationException("'" + attr.name() + "' not supported as initial attribute");
            }
            mode = 0;
            for (Object permission : (Set<?>) attr.value()) {
                mode |= switch ((PosixFilePermission) permission) {
                    case OWNER_READ -> 0400;
                    case OWNER_WRITE -> 0200;
                    case OWNER_EXECUTE -> 0100;
                    case GROUP_READ -> 040;
                    case GROUP_WRITE -> 020;
                    case GROUP_EXECUTE -> 010;
                    case OTHERS_READ -> 04;
                    case OTHERS_WRITE -> 02;
                    case OTHERS_EXECUTE -> 01;
                };
            }
        }
        return mode;
    }
}
