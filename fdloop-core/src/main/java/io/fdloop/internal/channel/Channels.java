package io.fdloop.internal.channel;

import io.fdloop.EventLoop;
import io.fdloop.file.FileOption;
import io.fdloop.internal.file.FileOpener;

import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Opens fdloop's {@link AsynchronousFileChannel}: the JDK's options in the JDK's terms, mapped to
 * fdloop's.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class Channels {
    private Channels() {
    }

    /**
     * {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, the JDK's O_DIRECT option, recognised by
     * name: the type is in {@code jdk.unsupported}, which javac and javadoc warn about at every use.
     */
    private static boolean isDirect(OpenOption option) {
        return option instanceof Enum<?> constant && constant.name().equals("DIRECT")
                && constant.getDeclaringClass().getName().equals("com.sun.nio.file.ExtendedOpenOption");
    }

    /**
     * {@code AsynchronousFileChannel.open(path, options, executor, attrs)} on {@code loop}; handlers
     * run on {@code executor}; when it is null, on the JDK's default pool if its properties configure
     * one ({@link JdkDefaultPool}), else on the loop thread.
     */
    public static AsynchronousFileChannel open(EventLoop loop, Path path, Set<? extends OpenOption> options,
                                               ExecutorService executor, FileAttribute<?>... attrs) throws IOException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(path, "path");
        Set<FileOption> fileOptions = EnumSet.noneOf(FileOption.class);
        for (OpenOption option : options) {
            if (option instanceof StandardOpenOption standard) {
                switch (standard) {
                    case READ -> fileOptions.add(FileOption.READ);
                    case WRITE -> fileOptions.add(FileOption.WRITE);
                    case CREATE -> fileOptions.add(FileOption.CREATE);
                    case CREATE_NEW -> fileOptions.add(FileOption.CREATE_NEW);
                    case TRUNCATE_EXISTING -> fileOptions.add(FileOption.TRUNCATE);
                    case DSYNC -> fileOptions.add(FileOption.DSYNC);
                    case SYNC -> fileOptions.add(FileOption.SYNC);
                    case SPARSE -> {
                        // a hint; the JDK ignores it on Linux too
                    }
                    case APPEND -> throw new UnsupportedOperationException("APPEND not allowed");
                    default -> throw new UnsupportedOperationException(option + " not supported by fdloop");
                }
            } else if (isDirect(option)) {
                fileOptions.add(FileOption.DIRECT);
            } else {
                Objects.requireNonNull(option, "option");
                throw new UnsupportedOperationException(option + " not supported by fdloop");
            }
        }
        if (!fileOptions.contains(FileOption.WRITE)) {
            // As the JDK: creating and truncating apply only to a file opened for writing.
            fileOptions.removeAll(EnumSet.of(FileOption.CREATE, FileOption.CREATE_NEW, FileOption.TRUNCATE));
        }
        int mode = InitialAttributes.mode(attrs);
        ExecutorService handlerPool = executor != null ? executor : JdkDefaultPool.ifConfigured();
        return new FdloopAsyncChannel(FileOpener.open(loop, path, fileOptions, null, mode),
                new HandlerThreads(loop, handlerPool));
    }
}
