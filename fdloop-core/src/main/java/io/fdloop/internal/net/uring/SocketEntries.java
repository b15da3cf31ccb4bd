package io.fdloop.internal.net.uring;

import io.fdloop.internal.linux.Sockets;

import java.lang.foreign.MemorySegment;

import static io.fdloop.internal.linux.IoUringLayout.IORING_ACCEPT_MULTISHOT;
import static io.fdloop.internal.linux.IoUringLayout.IORING_ASYNC_CANCEL_ALL;
import static io.fdloop.internal.linux.IoUringLayout.IORING_ASYNC_CANCEL_FD;
import static io.fdloop.internal.linux.IoUringLayout.IORING_OP_ACCEPT;
import static io.fdloop.internal.linux.IoUringLayout.IORING_OP_ASYNC_CANCEL;
import static io.fdloop.internal.linux.IoUringLayout.IORING_OP_CONNECT;
import static io.fdloop.internal.linux.IoUringLayout.IORING_OP_RECV;
import static io.fdloop.internal.linux.IoUringLayout.IORING_OP_SEND;
import static io.fdloop.internal.linux.IoUringLayout.IORING_OP_SENDMSG;
import static io.fdloop.internal.linux.IoUringLayout.IORING_OP_SPLICE;
import static io.fdloop.internal.linux.IoUringLayout.IORING_RECV_MULTISHOT;
import static io.fdloop.internal.linux.IoUringLayout.IOSQE_BUFFER_SELECT;
import static io.fdloop.internal.linux.IoUringLayout.SQE_ADDR;
import static io.fdloop.internal.linux.IoUringLayout.SQE_ADDR2;
import static io.fdloop.internal.linux.IoUringLayout.SQE_BUF_GROUP;
import static io.fdloop.internal.linux.IoUringLayout.SQE_FD;
import static io.fdloop.internal.linux.IoUringLayout.SQE_FLAGS;
import static io.fdloop.internal.linux.IoUringLayout.SQE_IOPRIO;
import static io.fdloop.internal.linux.IoUringLayout.SQE_LEN;
import static io.fdloop.internal.linux.IoUringLayout.SQE_MSG_FLAGS;
import static io.fdloop.internal.linux.IoUringLayout.SQE_OFF;
import static io.fdloop.internal.linux.IoUringLayout.SQE_OPCODE;
import static io.fdloop.internal.linux.IoUringLayout.SQE_SPLICE_FD_IN;
import static io.fdloop.internal.linux.IoUringLayout.SQE_SPLICE_OFF_IN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The submission entries of socket I/O, each filled into a zeroed entry that already carries its
 * {@code user_data} (io_uring_enter(2) names the fields each opcode reads).
 *
 * <p><b>Stateless; thread-safe.</b>
 */
final class SocketEntries {
    /** {@code off}/{@code splice_off_in} of a pipe or socket end: it has no file position. */
    private static final long NO_OFFSET = -1;

    private SocketEntries() {
    }

    /** Receives into buffers of {@code group}, one completion per receive, until it ends (Linux 6.0). */
    static void recvMultishot(MemorySegment sqes, long sqe, int fd, int group) {
        sqes.set(JAVA_BYTE, sqe + SQE_OPCODE, IORING_OP_RECV);
        sqes.set(JAVA_BYTE, sqe + SQE_FLAGS, IOSQE_BUFFER_SELECT);
        sqes.set(JAVA_SHORT, sqe + SQE_IOPRIO, IORING_RECV_MULTISHOT);
        sqes.set(JAVA_INT, sqe + SQE_FD, fd);
        sqes.set(JAVA_SHORT, sqe + SQE_BUF_GROUP, (short) group);
    }

    /** One receive of at most {@code length} bytes into memory at {@code address}. */
    static void recv(MemorySegment sqes, long sqe, int fd, long address, int length) {
        sqes.set(JAVA_BYTE, sqe + SQE_OPCODE, IORING_OP_RECV);
        sqes.set(JAVA_INT, sqe + SQE_FD, fd);
        sqes.set(JAVA_LONG, sqe + SQE_ADDR, address);
        sqes.set(JAVA_INT, sqe + SQE_LEN, length);
    }

    /** One receive of at most {@code length} bytes into a buffer the kernel takes from {@code group}. */
    static void recvIntoGroup(MemorySegment sqes, long sqe, int fd, int length, int group) {
        sqes.set(JAVA_BYTE, sqe + SQE_OPCODE, IORING_OP_RECV);
        sqes.set(JAVA_BYTE, sqe + SQE_FLAGS, IOSQE_BUFFER_SELECT);
        sqes.set(JAVA_INT, sqe + SQE_FD, fd);
        sqes.set(JAVA_INT, sqe + SQE_LEN, length);
        sqes.set(JAVA_SHORT, sqe + SQE_BUF_GROUP, (short) group);
    }

    /** send(2) of {@code length} bytes at {@code address}; the kernel adds MSG_NOSIGNAL itself. */
    static void send(MemorySegment sqes, long sqe, int fd, long address, int length, int msgFlags) {
        sqes.set(JAVA_BYTE, sqe + SQE_OPCODE, IORING_OP_SEND);
        sqes.set(JAVA_INT, sqe + SQE_FD, fd);
        sqes.set(JAVA_LONG, sqe + SQE_ADDR, address);
        sqes.set(JAVA_INT, sqe + SQE_LEN, length);
        sqes.set(JAVA_INT, sqe + SQE_MSG_FLAGS, msgFlags | Sockets.MSG_NOSIGNAL);
    }

    /** sendmsg(2) of the message at {@code msghdr}. */
    static void sendmsg(MemorySegment sqes, long sqe, int fd, long msghdr, int msgFlags) {
        sqes.set(JAVA_BYTE, sqe + SQE_OPCODE, IORING_OP_SENDMSG);
        sqes.set(JAVA_INT, sqe + SQE_FD, fd);
        sqes.set(JAVA_LONG, sqe + SQE_ADDR, msghdr);
        sqes.set(JAVA_INT, sqe + SQE_LEN, 1);
        sqes.set(JAVA_INT, sqe + SQE_MSG_FLAGS, msgFlags | Sockets.MSG_NOSIGNAL);
    }

    /**
     * splice(2) of {@code length} bytes from {@code fdIn} (at {@code offsetIn}, or -1 for a pipe) to
     * {@code fdOut} (a pipe or socket); the kernel runs it on a worker thread of its own.
     */
    static void splice(MemorySegment sqes, long sqe, int fdIn, long offsetIn, int fdOut, int length, int spliceFlags) {
        sqes.set(JAVA_BYTE, sqe + SQE_OPCODE, IORING_OP_SPLICE);
        sqes.set(JAVA_INT, sqe + SQE_FD, fdOut);
        sqes.set(JAVA_LONG, sqe + SQE_OFF, NO_OFFSET);
        sqes.set(JAVA_LONG, sqe + SQE_SPLICE_OFF_IN, offsetIn);
        sqes.set(JAVA_INT, sqe + SQE_LEN, length);
        sqes.set(JAVA_INT, sqe + SQE_MSG_FLAGS, spliceFlags);
        sqes.set(JAVA_INT, sqe + SQE_SPLICE_FD_IN, fdIn);
    }

    /** Accepts until it ends (Linux 5.19); the peer's address is not asked for (getpeername gives it). */
    static void acceptMultishot(MemorySegment sqes, long sqe, int fd, int acceptFlags) {
        sqes.set(JAVA_BYTE, sqe + SQE_OPCODE, IORING_OP_ACCEPT);
        sqes.set(JAVA_SHORT, sqe + SQE_IOPRIO, IORING_ACCEPT_MULTISHOT);
        sqes.set(JAVA_INT, sqe + SQE_FD, fd);
        sqes.set(JAVA_INT, sqe + SQE_MSG_FLAGS, acceptFlags);
    }

    /** connect(2) to the address at {@code sockaddr} ({@code length} bytes, read when the entry is consumed). */
    static void connect(MemorySegment sqes, long sqe, int fd, long sockaddr, int length) {
        sqes.set(JAVA_BYTE, sqe + SQE_OPCODE, IORING_OP_CONNECT);
        sqes.set(JAVA_INT, sqe + SQE_FD, fd);
        sqes.set(JAVA_LONG, sqe + SQE_ADDR, sockaddr);
        sqes.set(JAVA_LONG, sqe + SQE_ADDR2, length);
    }

    /** Cancels the request whose {@code user_data} is {@code target}. */
    static void cancel(MemorySegment sqes, long sqe, long target) {
        sqes.set(JAVA_BYTE, sqe + SQE_OPCODE, IORING_OP_ASYNC_CANCEL);
        sqes.set(JAVA_INT, sqe + SQE_FD, -1);
        sqes.set(JAVA_LONG, sqe + SQE_ADDR, target);
    }

    /** Cancels every request on {@code fd} (Linux 5.19). */
    static void cancelAll(MemorySegment sqes, long sqe, int fd) {
        sqes.set(JAVA_BYTE, sqe + SQE_OPCODE, IORING_OP_ASYNC_CANCEL);
        sqes.set(JAVA_INT, sqe + SQE_FD, fd);
        sqes.set(JAVA_INT, sqe + SQE_MSG_FLAGS, IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_FD);
    }
}
