package io.fdloop;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N event loops, each on a thread of its own, used together: one per core is how fdloop scales out.
 * {@link #next()} hands them out in turn; {@code io.fdloop.net.Listener.bind(group, ...)} listens on
 * every loop of the group with {@code SO_REUSEPORT}, so the kernel spreads connections over them;
 * {@link #close()} closes them all.
 *
 * <p><b>Thread-safe</b>: every method may be called from any thread.
 *
 * <pre>{@code
 * try (EventLoopGroup loops = EventLoopGroup.start()) {     // one loop per available processor
 *     Listener.bind(loops, new InetSocketAddress("127.0.0.1", 8080), connection -> handler);
 *     ...
 * }
 * }</pre>
 */
public final class EventLoopGroup implements Executor, AutoCloseable, Iterable<EventLoop> {
    private final List<EventLoop> loops;
    private final AtomicInteger next = new AtomicInteger();

    private EventLoopGroup(List<EventLoop> loops) {
        this.loops = Collections.unmodifiableList(loops);
    }

    /**
     * One started loop per available processor, with default settings. Any thread.
     *
     * @return the started group
     * @throws IOException when the kernel refuses the call
     */
    public static EventLoopGroup start() throws IOException {
        return start(Runtime.getRuntime().availableProcessors());
    }

    /**
     * {@code count} started loops with default settings, named {@code fdloop-N}. Any thread.
     *
     * @param count how many bytes
     * @return the started group
     * @throws IOException when the kernel refuses the call
     */
    public static EventLoopGroup start(int count) throws IOException {
        if (count < 1 || count > 4096) {
            throw new IllegalArgumentException("a group has 1 to 4096 loops, was asked for " + count);
        }
        List<EventLoop> started = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                started.add(EventLoop.start());
            }
        } catch (IOException | RuntimeException e) {
            started.forEach(EventLoop::close);
            throw e;
        }
        return new EventLoopGroup(started);
    }

    /**
     * A group of loops you built (with your own {@link EventLoop.Builder} settings); the group owns them
     * from now on and closes them with itself. Any thread.
     *
     * @param loops the loops
     * @return the group
     */
    public static EventLoopGroup of(List<EventLoop> loops) {
        if (loops.isEmpty()) {
            throw new IllegalArgumentException("a group needs at least one loop");
        }
        List<EventLoop> copy = new ArrayList<>(loops);
        copy.forEach(loop -> Objects.requireNonNull(loop, "loop"));
        if (copy.stream().distinct().count() != copy.size()) {
            throw new IllegalArgumentException("a loop appears twice in " + loops);
        }
        return new EventLoopGroup(copy);
    }

    /**
     * The next loop, round-robin. Any thread.
     *
     * @return a loop
     */
    public EventLoop next() {
        return loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    }

    /**
     * The loops, in order. Any thread.
     *
     * @return the loops
     */
    public List<EventLoop> loops() {
        return loops;
    }

    /**
     * How many loops the group has. Any thread.
     *
     * @return how many loops
     */
    public int size() {
        return loops.size();
    }

    /** Runs {@code task} on the {@linkplain #next() next} loop. Any thread. */
    @Override
    public void execute(Runnable task) {
        next().execute(Objects.requireNonNull(task, "task"));
    }

    /** The loops, in order. Any thread. */
    @Override
    public Iterator<EventLoop> iterator() {
        return loops.iterator();
    }

    /**
     * Whether {@link #close()} has begun. Any thread.
     *
     * @return whether it is closed
     */
    public boolean isClosed() {
        return loops.stream().allMatch(EventLoop::isClosed);
    }

    /**
     * Closes every loop (each as {@link EventLoop#close()} does: listeners, connections and files closed,
     * every pending operation completed) and waits for them all; they close in parallel. Idempotent. Any
     * thread except one of the group's loops (which cannot wait for itself: it starts the close and returns).
     */
    @Override
    public void close() {
        Thread[] closers = new Thread[loops.size()];
        for (int i = 0; i < closers.length; i++) {
            EventLoop loop = loops.get(i);
            if (loop.inLoop()) {
                loop.close();
            } else {
                closers[i] = Thread.ofPlatform().name(loop.name() + "-closer").start(loop::close);
            }
        }
        boolean interrupted = false;
        for (Thread closer : closers) {
            while (closer != null) {
                try {
                    closer.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "EventLoopGroup" + loops;
    }
}
