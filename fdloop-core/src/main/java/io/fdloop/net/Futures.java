package io.fdloop.net;

import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;

/**
 * The future forms on top of the callback forms: the future travels as the attachment.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
final class Futures {
    static final TransferHandler<CompletableFuture<Long>> LONG = new TransferHandler<>() {
        @Override
        public void completed(long bytes, CompletableFuture<Long> future) {
            future.complete(bytes);
        }

        @Override
        public void failed(Throwable error, CompletableFuture<Long> future) {
            future.completeExceptionally(error);
        }
    };

    static final CompletionHandler<Connection, CompletableFuture<Connection>> CONNECTION = new CompletionHandler<>() {
        @Override
        public void completed(Connection connection, CompletableFuture<Connection> future) {
            future.complete(connection);
        }

        @Override
        public void failed(Throwable error, CompletableFuture<Connection> future) {
            future.completeExceptionally(error);
        }
    };

    private Futures() {
    }
}
