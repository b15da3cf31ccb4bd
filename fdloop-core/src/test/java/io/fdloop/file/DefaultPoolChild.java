package io.fdloop.file;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

/**
 * For {@link FdloopFileSystemProviderTest}: opens a channel without an executor while the JDK's
 * default-pool property names {@link Factory}; prints the thread its handler ran on.
 */
public final class DefaultPoolChild {
    /** The factory the property names: threads called "configured-pool". */
    public static final class Factory implements ThreadFactory {
        @Override
        public Thread newThread(Runnable task) {
            return Thread.ofPlatform().name("configured-pool").daemon(true).unstarted(task);
        }
    }

    public static void main(String[] args) throws Exception {
        try (AsynchronousFileChannel channel = AsynchronousFileChannel.open(Path.of(args[0]), CREATE, READ, WRITE)) {
            CompletableFuture<String> thread = new CompletableFuture<>();
            channel.write(ByteBuffer.wrap(new byte[10]), 0, null, new CompletionHandler<Integer, Object>() {
                @Override
                public void completed(Integer result, Object attachment) {
                    thread.complete(Thread.currentThread().getName());
                }

                @Override
                public void failed(Throwable error, Object attachment) {
                    thread.completeExceptionally(error);
                }
            });
            System.out.println("handler ran on " + thread.get(30, TimeUnit.SECONDS));
            System.out.println("channel " + channel.getClass().getSimpleName());
        }
    }
}
