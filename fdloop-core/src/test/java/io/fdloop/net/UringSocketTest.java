package io.fdloop.net;

/**
 * The socket contract on io_uring: multishot accept and receive into the loop's provided buffer ring,
 * sends and splices on the loop's ring. Skipped, with the kernel's reason, where io_uring cannot serve sockets.
 */
class UringSocketTest extends SocketContract {
    @Override
    NetMechanism mechanism() {
        return NetMechanism.URING;
    }
}
