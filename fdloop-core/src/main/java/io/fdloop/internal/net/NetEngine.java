package io.fdloop.internal.net;

import io.fdloop.EventLoop;
import io.fdloop.internal.linux.PageCache;
import io.fdloop.internal.linux.Syscalls;
import io.fdloop.internal.loop.CompletionSource;
import io.fdloop.internal.loop.Loops;
import io.fdloop.internal.loop.LoopHost;
import io.fdloop.internal.net.epoll.EpollMechanism;
import io.fdloop.internal.net.uring.UringMechanism;
import io.fdloop.net.NetMechanism;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.channels.InterruptedByTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One loop's socket machinery: its mechanisms (made on first use), the buffers every connection of the
 * loop shares (the read buffer, copy chunks, file buffers), the open connections and listeners (which
 * the loop closes when it closes), and the loop's flush step for sockets: the connections written to
 * during an iteration each send everything queued, in one {@code sendmsg} there (epoll) or in one
 * entry of the loop's ring (io_uring), which is why this source flushes before every other.
 *
 * <p>Plugged into the loop as a completion source without an eventfd: epoll's sockets are watched fd
 * by fd in the loop's epoll set, io_uring's completions arrive through the loop's ring.
 *
 * <p><b>Loop thread only</b>, except {@link #of} and {@link #mechanism}.
 */
public final class NetEngine implements CompletionSource {
    static final System.Logger LOG = System.getLogger("io.fdloop.net");
    /** How long a closing loop lets its connections flush what they have queued. */
    static final long LOOP_CLOSE_FLUSH_MS = 5_000;

    public final LoopHost host;
    public final EventLoop loop;
    public final Syscalls syscalls;
    final ReadBuffer readBuffer = new ReadBuffer();
    final CopyPool copies = new CopyPool();
    final FileBuffers fileBuffers = new FileBuffers();
    public final PageCache pageCache;
    private EpollMechanism epoll; // guarded by this
    private UringMechanism uring; // guarded by this
    private IOException uringFailure; // guarded by this: why this loop's ring cannot serve sockets
    private final List<ListenSocket> listeners = new ArrayList<>();
    private NetConnection first; // the open connections, linked through NetConnection.previous/next
    private int connectionCount;
    private NetConnection[] dirty = new NetConnection[64];
    private int dirtyCount;
    private NetConnection[] beingFlushed = new NetConnection[64];
    private Continuation[] continuations = new Continuation[16];
    private int continuationCount;
    private Continuation[] continuing = new Continuation[16];
    private boolean readsIssuedInFlush; // sendFile reads handed to a file backend that may have flushed already
    private boolean flushing;
    private boolean shutdownBegun;
    private long shutdownDeadlineNs;
    private boolean shutdownTimedOut;
    private boolean closed;

    private NetEngine(LoopHost host, EventLoop loop) {
        this.host = host;
        this.loop = loop;
        this.syscalls = host.syscalls();
        this.pageCache = new PageCache(syscalls, Arena.ofAuto());
    }

    /** The engine of {@code loop}, plugged into it on first use. Any thread. */
    public static NetEngine of(EventLoop loop) {
        LoopHost host = Loops.host(loop);
        return host.attachment(NetEngine.class, h -> {
            NetEngine engine = new NetEngine(h, loop);
            try {
                h.addSource(engine);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot plug sockets into loop " + h.name(), e);
            }
            return engine;
        });
    }

    /**
     * The mechanism for {@code choice} on this loop, made on first use. {@code AUTO} takes io_uring when the
     * kernel has it, and epoll when this loop's ring cannot be made (logged once). Any thread.
     *
     * @throws UncheckedIOException when io_uring was asked for and this loop's ring cannot serve sockets
     */
    public synchronized SocketMechanism mechanism(NetMechanism choice) {
        return switch (choice.resolve()) {
            case EPOLL, AUTO -> epoll();
            case URING -> {
                SocketMechanism ring = uring();
                if (ring == null && choice == NetMechanism.AUTO) {
                    yield epoll();
                }
                if (ring == null) {
                    throw new UncheckedIOException(new IOException("io_uring cannot serve sockets on event loop "
                            + host.name() + ": " + uringFailure.getMessage(), uringFailure));
                }
                yield ring;
            }
        };
    }

    private SocketMechanism epoll() {
        if (epoll == null) {
            epoll = new EpollMechanism(this);
        }
        return epoll;
    }

    private SocketMechanism uring() {
        if (uring == null && uringFailure == null) {
            try {
                uring = UringMechanism.open(this);
            } catch (IOException e) {
                uringFailure = e;
                LOG.log(System.Logger.Level.WARNING, "event loop " + host.name() + ": io_uring cannot serve sockets ("
                        + e.getMessage() + "); sockets that asked for auto use epoll");
            }
        }
        return uring;
    }

    // ---- what connections and listeners tell the engine --------------------------------

    void added(NetConnection connection) {
        connection.next = first;
        if (first != null) {
            first.previous = connection;
        }
        first = connection;
        connectionCount++;
    }

    void removed(NetConnection connection) {
        if (connection.previous != null) {
            connection.previous.next = connection.next;
        } else if (first == connection) {
            first = connection.next;
        } else {
            return; // not linked
        }
        if (connection.next != null) {
            connection.next.previous = connection.previous;
        }
        connection.previous = connection.next = null;
        connectionCount--;
    }

    public ReadBuffer readBuffer() {
        return readBuffer;
    }

    public void added(ListenSocket listener) {
        listeners.add(listener);
    }

    void removed(ListenSocket listener) {
        listeners.remove(listener);
    }

    /** {@code connection} has output (or a close) for the next flush step. */
    void dirty(NetConnection connection) {
        if (dirtyCount == dirty.length) {
            dirty = Arrays.copyOf(dirty, dirtyCount * 2);
        }
        dirty[dirtyCount++] = connection;
    }

    /** {@code work} goes on at the next flush step. */
    public void continueLater(Continuation work) {
        if (continuationCount == continuations.length) {
            continuations = Arrays.copyOf(continuations, continuationCount * 2);
        }
        continuations[continuationCount++] = work;
    }

    public boolean isShuttingDown() {
        return shutdownBegun || host.isShuttingDown();
    }

    // ---- CompletionSource: the loop's steps ------------------------------------------------

    @Override
    public String name() {
        return "sockets";
    }

    @Override
    public int eventFd() {
        return -1;
    }

    /** What the flush queues for io_uring leaves with the ring's flush in the same iteration. */
    @Override
    public boolean flushesFirst() {
        return true;
    }

    /** Step 2: goes on with reads and accepts that met their budget, then flushes every connection written to. */
    @Override
    public int flush() {
        readsIssuedInFlush = false;
        flushing = true;
        try {
            flushSockets();
        } finally {
            flushing = false;
        }
        return 0; // sockets are not batches an observer counts
    }

    /**
     * A {@code sendFile} read went to the file's backend. During this source's flush, that backend may
     * have flushed already in this iteration: the loop must not sleep before its next flush sends it.
     */
    void fileReadIssued() {
        if (flushing) {
            readsIssuedInFlush = true;
        }
    }

    private void flushSockets() {
        if (host.isShuttingDown() && !shutdownBegun) {
            beginShutdown();
        } else if (shutdownBegun && !shutdownTimedOut && System.nanoTime() - shutdownDeadlineNs >= 0) {
            shutdownTimedOut = true;
            resetRemaining(); // while the loop still runs: io_uring connections cancel their requests and reap them
        }
        int work = continuationCount;
        if (work > 0) {
            Continuation[] batch = continuations;
            continuations = continuing;
            continuing = batch;
            continuationCount = 0;
            for (int i = 0; i < work; i++) {
                Continuation c = batch[i];
                batch[i] = null;
                c.continueWork();
            }
        }
        int count = dirtyCount;
        if (count > 0) {
            NetConnection[] batch = dirty;
            dirty = beingFlushed;
            beingFlushed = batch;
            dirtyCount = 0;
            for (int i = 0; i < count; i++) {
                NetConnection connection = batch[i];
                batch[i] = null;
                connection.flushStep();
            }
        }
    }

    @Override
    public boolean stalled() {
        return false;
    }

    @Override
    public boolean hasPendingWork() {
        return continuationCount > 0 || dirtyCount > 0 || readsIssuedInFlush;
    }

    @Override
    public boolean hasVisibleCompletions() {
        return false;
    }

    @Override
    public int reap(boolean signalled) {
        return 0;
    }

    @Override
    public long lastSignalCount() {
        return 0;
    }

    /** While the loop closes: connections are still flushing, within {@link #LOOP_CLOSE_FLUSH_MS}. */
    @Override
    public boolean busy() {
        if (!shutdownBegun) {
            return connectionCount > 0 || !listeners.isEmpty();
        }
        return connectionCount > 0 && System.nanoTime() - shutdownDeadlineNs < 0;
    }

    /** The loop is closing: listeners close at once, connections close gracefully within the bound. */
    private void beginShutdown() {
        shutdownBegun = true;
        shutdownDeadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOOP_CLOSE_FLUSH_MS);
        for (ListenSocket listener : List.copyOf(listeners)) {
            listener.close();
        }
        for (NetConnection c = first; c != null; ) {
            NetConnection next = c.next;
            c.loopClosing();
            c = next;
        }
    }

    /** The loop's close bound passed: what did not finish is reset, its pending writes failed. */
    private void resetRemaining() {
        for (NetConnection c = first; c != null; ) {
            NetConnection next = c.next;
            boolean flushing = c.hasOutput();
            c.finish(flushing ? new InterruptedByTimeoutException() : null, flushing);
            c = next;
        }
    }

    /** The loop's last step: whatever did not finish in time is reset, its pending writes failed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        shutdownBegun = true;
        for (ListenSocket listener : List.copyOf(listeners)) {
            listener.close();
        }
        while (first != null) {
            NetConnection c = first;
            boolean flushing = c.hasOutput();
            c.finish(flushing ? new InterruptedByTimeoutException() : null, flushing);
            c.forceRelease(); // the loop runs no more: requests still in flight are given up
            if (first == c) {
                removed(c); // a connection that never linked or failed to unlink must not stop the loop closing
            }
        }
    }
}
