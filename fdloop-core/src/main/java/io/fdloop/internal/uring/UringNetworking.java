package io.fdloop.internal.uring;

import io.fdloop.internal.linux.Errors;
import io.fdloop.internal.linux.Sockets;
import io.fdloop.internal.linux.Syscalls;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.UnixDomainSocketAddress;

import static io.fdloop.internal.linux.IoUringLayout.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Whether this kernel's io_uring has what socket I/O on the ring needs, asked of the kernel itself on a
 * small ring of its own: the opcodes ({@code IORING_REGISTER_PROBE}), a provided buffer ring
 * ({@code IORING_REGISTER_PBUF_RING}, Linux 5.19), and a multishot accept (5.19) and multishot receive
 * (6.0), each submitted on a socket with nothing to take: a kernel that lacks the flag refuses the entry
 * at once with {@code EINVAL}, one that has it waits.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class UringNetworking {
    /** The opcodes socket I/O on the ring uses, with the kernel that brought each. */
    private static final byte[] OPCODES = {IORING_OP_ACCEPT, IORING_OP_CONNECT, IORING_OP_RECV, IORING_OP_SEND,
            IORING_OP_SENDMSG, IORING_OP_SPLICE, IORING_OP_ASYNC_CANCEL};
    private static final String[] OPCODE_NAMES = {"IORING_OP_ACCEPT (5.5)", "IORING_OP_CONNECT (5.5)",
            "IORING_OP_RECV (5.6)", "IORING_OP_SEND (5.6)", "IORING_OP_SENDMSG (5.3)", "IORING_OP_SPLICE (5.7)",
            "IORING_OP_ASYNC_CANCEL (5.5)"};
    private static final int PROBE_OPS = 256;
    private static final long RECV = 1, ACCEPT = 2;

    private UringNetworking() {
    }

    /** Null when sockets can run on io_uring here, else why not, in words a user can act on. */
    public static String probe(Syscalls syscalls) {
        UringRing ring;
        try {
            ring = UringRing.open(syscalls, 8);
        } catch (IOException e) {
            return e.getMessage();
        }
        try (Arena arena = Arena.ofConfined()) {
            String missing = missingOpcode(syscalls, ring, arena);
            if (missing != null) {
                return missing;
            }
            MemorySegment bufferRing = arena.allocate(BUF_SIZE, 64 * 1024);
            MemorySegment buffer = arena.allocate(64);
            bufferRing.set(JAVA_LONG, BUF_ADDR, buffer.address());
            bufferRing.set(JAVA_INT, BUF_LEN, 64);
            bufferRing.set(JAVA_SHORT, BUF_RING_TAIL, (short) 1);
            int r = ring.registerBufferRing(bufferRing.address(), 1, 0);
            if (r < 0) {
                return Errors.describe("io_uring_register(IORING_REGISTER_PBUF_RING)", -r,
                        "provided buffer rings need Linux 5.19");
            }
            return multishots(syscalls, ring, arena);
        } catch (IOException e) {
            return "probing io_uring's socket operations failed: " + e.getMessage();
        } finally {
            ring.close(); // cancels what the probe left armed
        }
    }

    private static String missingOpcode(Syscalls syscalls, UringRing ring, Arena arena) {
        MemorySegment probe = arena.allocate(PROBE_SIZE + PROBE_OP_SIZE * PROBE_OPS, 8);
        probe.fill((byte) 0);
        int r = syscalls.ioUringRegister(ring.fd, IORING_REGISTER_PROBE, probe, PROBE_OPS);
        if (r < 0) {
            return Errors.describe("io_uring_register(IORING_REGISTER_PROBE)", -r,
                    "the opcode probe needs Linux 5.6, socket I/O on the ring 6.0");
        }
        int known = Byte.toUnsignedInt(probe.get(JAVA_BYTE, PROBE_OPS_LEN));
        for (int i = 0; i < OPCODES.length; i++) {
            int op = OPCODES[i];
            boolean supported = op < known && (probe.get(JAVA_SHORT, PROBE_SIZE + PROBE_OP_SIZE * op + PROBE_OP_FLAGS)
                    & IO_URING_OP_SUPPORTED) != 0;
            if (!supported) {
                return "this kernel's io_uring lacks " + OPCODE_NAMES[i];
            }
        }
        return null;
    }

    /** Arms a multishot receive and a multishot accept on sockets with nothing to take; null when both wait. */
    private static String multishots(Syscalls syscalls, UringRing ring, Arena arena) throws IOException {
        MemorySegment pair = arena.allocate(JAVA_INT, 2);
        int r = syscalls.socketpair(Sockets.AF_UNIX, Sockets.SOCK_STREAM | Sockets.SOCK_CLOEXEC, 0, pair);
        if (r < 0) {
            throw Errors.ioException("socketpair", r, null);
        }
        int listener = -1;
        try {
            listener = Sockets.openBlocking(syscalls, Sockets.AF_UNIX);
            Sockets.bind(syscalls, listener, UnixDomainSocketAddress.of("")); // an abstract name of the kernel's choice
            Sockets.listen(syscalls, listener, 1, null);
            long recv = ring.nextEntryOffset(0);
            long accept = ring.nextEntryOffset(1);
            MemorySegment sqes = ring.sqes;
            sqes.asSlice(recv, SQE_SIZE).fill((byte) 0);
            sqes.asSlice(accept, SQE_SIZE).fill((byte) 0);
            sqes.set(JAVA_BYTE, recv + SQE_OPCODE, IORING_OP_RECV);
            sqes.set(JAVA_BYTE, recv + SQE_FLAGS, IOSQE_BUFFER_SELECT);
            sqes.set(JAVA_SHORT, recv + SQE_IOPRIO, IORING_RECV_MULTISHOT);
            sqes.set(JAVA_INT, recv + SQE_FD, pair.getAtIndex(JAVA_INT, 0));
            sqes.set(JAVA_SHORT, recv + SQE_BUF_GROUP, (short) 0);
            sqes.set(JAVA_LONG, recv + SQE_USER_DATA, RECV);
            sqes.set(JAVA_BYTE, accept + SQE_OPCODE, IORING_OP_ACCEPT);
            sqes.set(JAVA_SHORT, accept + SQE_IOPRIO, IORING_ACCEPT_MULTISHOT);
            sqes.set(JAVA_INT, accept + SQE_FD, listener);
            sqes.set(JAVA_INT, accept + SQE_OP_FLAGS, Sockets.SOCK_CLOEXEC);
            sqes.set(JAVA_LONG, accept + SQE_USER_DATA, ACCEPT);
            ring.publish(2);
            r = ring.enter(2, IORING_ENTER_GETEVENTS);
            if (r < 0) {
                return Errors.describe("io_uring_enter", -r, null);
            }
            String[] refused = new String[1];
            ring.reap((userData, res, flags) -> {
                if (res < 0 && refused[0] == null) {
                    refused[0] = userData == RECV
                            ? Errors.describe("multishot IORING_OP_RECV into a provided buffer ring", -res, "it needs Linux 6.0")
                            : Errors.describe("multishot IORING_OP_ACCEPT", -res, "it needs Linux 5.19");
                }
            });
            return refused[0];
        } finally {
            if (listener >= 0) {
                syscalls.close(listener);
            }
            syscalls.close(pair.getAtIndex(JAVA_INT, 0));
            syscalls.close(pair.getAtIndex(JAVA_INT, 1));
        }
    }
}
