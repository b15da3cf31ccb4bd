package io.fdloop.internal.loop;

import io.fdloop.BlockingOperationException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A future a loop completes: joined on that loop's own thread before it is done, it fails at once
 * with {@link BlockingOperationException} instead of waiting forever (the loop could complete it
 * only once the wait returned). Futures made from it ({@code thenApply}...) are checked the same way.
 *
 * <p><b>Thread-safe.</b>
 */
final class LoopFuture<T> extends CompletableFuture<T> {
    private final Reactor reactor;

    LoopFuture(Reactor reactor) {
        this.reactor = reactor;
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        refuseToBlockTheLoop("get");
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        refuseToBlockTheLoop("get");
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        refuseToBlockTheLoop("join");
        return super.join();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new LoopFuture<>(reactor);
    }

    private void refuseToBlockTheLoop(String method) {
        if (!isDone() && reactor.inLoop()) {
            throw new BlockingOperationException(method + "() on the thread of event loop " + reactor.name
                    + " would wait forever: that loop completes this future only after the current callback returns."
                    + " Chain the work instead (thenAccept, whenComplete) or use the callback form");
        }
    }
}
