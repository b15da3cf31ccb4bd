package io.fdloop.internal.net.uring;

import io.fdloop.internal.linux.SocketAddresses;
import io.fdloop.internal.linux.Sockets;
import io.fdloop.internal.net.ConnectCompletion;
import io.fdloop.internal.net.ListenSocket;
import io.fdloop.internal.net.NetEngine;
import io.fdloop.internal.net.SocketConfig;
import io.fdloop.internal.net.SocketMechanism;
import io.fdloop.internal.uring.BufferRing;
import io.fdloop.internal.uring.LoopRing;
import io.fdloop.net.Acceptor;
import io.fdloop.net.ConnectionHandler;
import io.fdloop.net.NetMechanism;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.fdloop.internal.linux.IoUringLayout.CQE_BUFFER_SHIFT;
import static io.fdloop.internal.linux.IoUringLayout.CQE_F_BUFFER;
import static io.fdloop.internal.linux.IoUringLayout.CQE_F_MORE;
import static io.fdloop.internal.linux.IoUringLayout.SQE_USER_DATA;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Sockets on the loop's io_uring ({@link LoopRing}, shared with the loop's files): listeners and
 * connections become {@linkplain Client clients} of the ring, each with a slot, and everything they
 * queue during an iteration goes out in the ring's one {@code io_uring_enter}. Holds what the loop's
 * sockets share: the provided buffer ring every receive takes its buffer from (buffers of
 * {@value #BUFFER_SIZE} bytes, buffer group {@value #BUFFER_GROUP}; {@value #INITIAL_BUFFERS} at first,
 * doubled whenever receives find none free, up to {@value #MAX_BUFFERS}), the sendmsg blocks and the
 * splice pipes.
 *
 * <p>A request's {@code user_data} names its client's slot, the slot's generation and the operation:
 * <pre>
 *   bits 40-47: operation   bits 24-39: generation   bits 0-23: slot
 * </pre>
 * A slot is given to a new client only once every request of its old one has completed, so a
 * completion always reaches the client whose request it is; the generation is a second check.
 *
 * <p><b>Loop thread only</b>, except {@link #open}.
 */
public final class UringMechanism implements SocketMechanism, LoopRing.User {
    static final int BUFFER_GROUP = 0;
    static final int INITIAL_BUFFERS = 32;
    /**
     * The most buffers the ring grows to (2 MiB): past it a receive that finds none free ends and is armed
     * again once buffers come back, which costs less than receives into buffers that left the caches.
     */
    static final int MAX_BUFFERS = 128;
    static final int BUFFER_SIZE = 16 * 1024;
    /** The submission entries a loop's ring gets when sockets make it (files may have made it smaller). */
    static final int RING_ENTRIES = 1024;
    private static final System.Logger LOG = System.getLogger("io.fdloop.net");
    /** Memory of requests given up when a loop ended, which the kernel may still use: never freed. */
    private static final ConcurrentLinkedQueue<Object> KEPT_FOR_THE_KERNEL = new ConcurrentLinkedQueue<>();
    private static final int SLOT_BITS = 24, GENERATION_SHIFT = 24, OPERATION_SHIFT = 40;
    private static final int SLOT_MASK = (1 << SLOT_BITS) - 1;

    /** A listener or connection with requests on the ring. Loop thread only. */
    interface Client {
        /** Its slot, from {@link #attach}. */
        int slot();

        /**
         * Fills entries for what it has to submit (through {@link #entry}); false when the ring had no room
         * for all of it (then it is asked again at the next flush). Runs no user code and schedules nothing.
         */
        boolean fill(LoopRing.Submission submission);

        /** A completion of operation {@code operation} of its. */
        void complete(int operation, int res, int flags);
    }

    final NetEngine engine;
    final LoopRing ring;
    final BufferRing buffers;
    final SendBlocks sendBlocks = new SendBlocks();
    final SplicePipes pipes;
    private final int tag;
    private Client[] clients = new Client[64];
    private int[] generations = new int[64];
    private int[] inFlight = new int[64];
    private boolean[] scheduled = new boolean[64];
    private int[] freeSlots = new int[64];
    private int freeCount;
    private int slotsUsed;
    private Client[] queue = new Client[64];
    private int queued;
    private int totalInFlight;
    private long lastUserData;
    private long emptyBufferRing; // receives that ended because every provided buffer was taken
    private boolean growBuffers;
    private boolean ringClosed;

    private UringMechanism(NetEngine engine, LoopRing ring, BufferRing buffers) {
        this.engine = engine;
        this.ring = ring;
        this.buffers = buffers;
        this.pipes = new SplicePipes(engine.syscalls);
        this.tag = ring.register(this);
    }

    /**
     * The mechanism of {@code engine}'s loop: its ring (made now if the loop has none) and a provided
     * buffer ring registered on it.
     *
     * @throws IOException when io_uring cannot serve sockets on this loop, saying why
     */
    public static UringMechanism open(NetEngine engine) throws IOException {
        String missing = NetMechanism.URING.unavailabilityCause();
        if (missing != null) {
            throw new IOException(missing);
        }
        LoopRing ring = LoopRing.of(engine.host, RING_ENTRIES);
        BufferRing buffers = BufferRing.register(ring, BUFFER_GROUP, MAX_BUFFERS, BUFFER_SIZE, INITIAL_BUFFERS);
        return new UringMechanism(engine, ring, buffers);
    }

    @Override
    public NetMechanism kind() {
        return NetMechanism.URING;
    }

    @Override
    public ListenSocket listen(int fd, int family, SocketAddress localAddress, SocketConfig config, Acceptor acceptor) {
        UringListenSocket listener = new UringListenSocket(this, fd, family, localAddress, config, acceptor);
        engine.added(listener);
        listener.start();
        return listener;
    }

    @Override
    public void connect(SocketConfig config, SocketAddress remote, SocketAddress local, long timeoutMs,
                        ConnectionHandler handler, ConnectCompletion completion) {
        int family;
        MemorySegment address;
        int addressLength;
        int fd;
        try {
            family = SocketAddresses.family(remote);
            address = Arena.ofAuto().allocate(SocketAddresses.MAX_SIZE, 8);
            addressLength = SocketAddresses.encode(remote, address);
            fd = Sockets.openBlocking(engine.syscalls, family);
            config.prepareOutgoing(engine.syscalls, fd, family, local);
        } catch (IOException | RuntimeException e) {
            completion.failed(e);
            return;
        }
        UringConnection connection = new UringConnection(this, config, fd, family, remote, handler, completion);
        connection.startConnecting(address, addressLength, timeoutMs);
    }

    // ---- clients and their slots --------------------------------------------------------------

    int attach(Client client) {
        int slot;
        if (freeCount > 0) {
            slot = freeSlots[--freeCount];
        } else {
            slot = slotsUsed++;
            if (slot > SLOT_MASK) {
                throw new IllegalStateException("more than " + SLOT_MASK + " sockets on one loop's ring");
            }
            if (slot == clients.length) {
                int capacity = clients.length * 2;
                clients = Arrays.copyOf(clients, capacity);
                generations = Arrays.copyOf(generations, capacity);
                inFlight = Arrays.copyOf(inFlight, capacity);
                scheduled = Arrays.copyOf(scheduled, capacity);
            }
        }
        clients[slot] = client;
        return slot;
    }

    /** The client has nothing in flight and is done: its slot may serve another. */
    void detach(int slot) {
        clients[slot] = null;
        scheduled[slot] = false;
        generations[slot] = (generations[slot] + 1) & 0xffff;
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
        }
        freeSlots[freeCount++] = slot;
    }

    /**
     * The loop ends with the client's requests in flight: its slot is retired for good (a late completion
     * finds no client) and {@code memory} is kept, since the kernel may still use it.
     */
    void abandon(int slot, Object memory) {
        clients[slot] = null;
        scheduled[slot] = false;
        KEPT_FOR_THE_KERNEL.add(memory);
    }

    int inFlight(int slot) {
        return inFlight[slot];
    }

    /** {@code client} has something to submit: it is asked at the next flush of the ring. */
    void schedule(Client client) {
        int slot = client.slot();
        if (scheduled[slot] || clients[slot] != client) {
            return;
        }
        scheduled[slot] = true;
        if (queued == queue.length) {
            queue = Arrays.copyOf(queue, queued * 2);
        }
        queue[queued++] = client;
    }

    /**
     * The next submission entry for {@code operation} of the client in {@code slot}, its {@code user_data}
     * set; -1 when the ring has no room this iteration. Socket requests reserve no completion queue room
     * (a send may wait for the peer as long as a receive does, and thousands may be in flight): what
     * overflows the queue is brought in at the ring's reap.
     */
    long entry(LoopRing.Submission submission, int slot, int operation) {
        long sqe = submission.nextUnreserved();
        if (sqe < 0) {
            return -1;
        }
        long value = ((long) operation << OPERATION_SHIFT) | ((long) generations[slot] << GENERATION_SHIFT) | slot;
        long userData = submission.userData(tag, value);
        submission.entries().set(JAVA_LONG, sqe + SQE_USER_DATA, userData);
        lastUserData = userData;
        inFlight[slot]++;
        totalInFlight++;
        return sqe;
    }

    /** The {@code user_data} of the entry {@link #entry} returned last: what a cancel of that request names. */
    long lastUserData() {
        return lastUserData;
    }

    /**
     * A receive ended with ENOBUFS: every provided buffer was in use. It is armed again; the ring grows at
     * the next flush (once, however many receives found it empty meanwhile).
     */
    void bufferRingWasEmpty() {
        emptyBufferRing++;
        growBuffers = true;
    }

    // ---- LoopRing.User --------------------------------------------------------------------------

    @Override
    public int fill(LoopRing.Submission submission) {
        if (growBuffers) {
            growBuffers = false;
            buffers.grow(); // before the receives that are armed again
        }
        int n = queued;
        int kept = 0;
        for (int i = 0; i < n; i++) {
            Client client = queue[i];
            int slot = client.slot();
            if (clients[slot] != client) {
                continue; // it was detached since
            }
            if (client.fill(submission)) {
                scheduled[slot] = false;
            } else {
                queue[kept++] = client;
            }
        }
        Arrays.fill(queue, kept, n, null);
        queued = kept;
        return 0;
    }

    @Override
    public void complete(long value, int res, int flags) {
        int slot = (int) (value & SLOT_MASK);
        int generation = (int) (value >>> GENERATION_SHIFT) & 0xffff;
        int operation = (int) (value >>> OPERATION_SHIFT) & 0xff;
        if ((flags & CQE_F_MORE) == 0) {
            inFlight[slot]--;
            totalInFlight--;
        }
        Client client = clients[slot];
        if (client == null || generations[slot] != generation) {
            if ((flags & CQE_F_BUFFER) != 0) {
                buffers.recycle(flags >>> CQE_BUFFER_SHIFT); // a given-up receive's buffer still goes back
            }
            return;
        }
        try {
            client.complete(operation, res, flags);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "completing operation " + operation + " (res " + res + ") of " + client
                    + " threw", e);
        }
    }

    @Override
    public boolean busy() {
        return queued > 0 || totalInFlight > 0;
    }

    /**
     * The loop's ring closes with the loop. Requests still in flight were given up (the loop ended first);
     * the kernel cancels them as the ring goes, so the buffers they may write are kept for good.
     */
    @Override
    public void ringClosed() {
        ringClosed = true;
        pipes.closeAll();
        if (totalInFlight > 0) {
            KEPT_FOR_THE_KERNEL.add(buffers);
        }
    }

    boolean isRingClosed() {
        return ringClosed;
    }

    @Override
    public String toString() {
        return "io_uring sockets on " + engine.host.name() + " (" + (slotsUsed - freeCount) + " sockets, "
                + totalInFlight + " requests in flight, " + buffers + ", empty " + emptyBufferRing + " times)";
    }
}
