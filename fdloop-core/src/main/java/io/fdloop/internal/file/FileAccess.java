package io.fdloop.internal.file;

import java.nio.channels.ClosedChannelException;
import java.util.Objects;

/**
 * The door through which the socket engine borrows an {@code AsyncFile}'s fd for {@code sendfile(2)}
 * without the file class exposing it: {@code AsyncFile} installs it when it initializes (the JDK's
 * SharedSecrets pattern). A borrowed fd stays open (its number is not reused) until it is returned,
 * even if the file is closed meanwhile.
 *
 * <p><b>Thread-safe.</b>
 */
public final class FileAccess {
    /** What the file class offers. */
    public interface Door {
        /** The file's fd, held open until {@link #releaseFd}. */
        int acquireFd(Object file) throws ClosedChannelException;

        void releaseFd(Object file);
    }

    private static volatile Door door;

    private FileAccess() {
    }

    public static void install(Door fileDoor) {
        door = Objects.requireNonNull(fileDoor);
    }

    public static Door door() {
        return door;
    }
}
