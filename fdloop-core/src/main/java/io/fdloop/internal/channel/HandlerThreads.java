package io.fdloop.internal.channel;

import io.fdloop.EventLoop;

import java.nio.channels.CompletionHandler;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;

/**
 * Where an fdloop {@code AsynchronousFileChannel}'s completion handlers run: on the executor the
 * channel was opened with, as the JDK specifies; without one, on the loop thread, which plays the
 * part of the channel's thread pool. Never on the thread that initiated the operation: when the
 * loop has closed, a JVM-wide daemon thread ({@value #LATE_THREAD_NAME}) runs the handler instead.
 *
 * <p><b>Thread-safe.</b>
 */
final class HandlerThreads {
    static final String LATE_THREAD_NAME = io.fdloop.file.FdloopFileChannel.LATE_COMPLETION_THREAD;
    private static final System.Logger LOG = System.getLogger("io.fdloop.file");

    private final EventLoop loop;
    private final ExecutorService executor; // null: the loop thread

    HandlerThreads(EventLoop loop, ExecutorService executor) {
        this.loop = loop;
        this.executor = executor;
    }

    <V, A> void completed(CompletionHandler<V, ? super A> handler, A attachment, V result) {
        if (executor == null && loop.inLoop()) {
            invoke(handler, attachment, result, null); // the common path: no hop, nothing allocated
        } else {
            run(() -> invoke(handler, attachment, result, null));
        }
    }

    <V, A> void failed(CompletionHandler<V, ? super A> handler, A attachment, Throwable error) {
        if (executor == null && loop.inLoop()) {
            invoke(handler, attachment, null, error);
        } else {
            run(() -> invoke(handler, attachment, null, error));
        }
    }

    private void run(Runnable call) {
        if (executor != null) {
            try {
                executor.execute(call);
                return;
            } catch (RejectedExecutionException e) {
                LOG.log(System.Logger.Level.WARNING, "the channel's executor refused a completion handler (shut down?);"
                        + " it runs on an fdloop thread instead", e);
            }
        }
        if (loop.inLoop()) {
            call.run();
            return;
        }
        try {
            loop.execute(call);
        } catch (RejectedExecutionException closed) {
            Late.EXECUTOR.execute(call);
        }
    }

    private static <V, A> void invoke(CompletionHandler<V, ? super A> handler, A attachment, V result, Throwable error) {
        try {
            if (error == null) {
                handler.completed(result, attachment);
            } else {
                handler.failed(error, attachment);
            }
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "a completion handler threw", e);
        }
    }

    private static final class Late {
        // One thread at most, gone after a minute of nothing to do.
        static final ExecutorService EXECUTOR = new ThreadPoolExecutor(0, 1, 1, TimeUnit.MINUTES,
                new LinkedBlockingQueue<>(), Thread.ofPlatform().name(LATE_THREAD_NAME).daemon(true).factory());
    }
}
