package io.fdloop.net;

/** The socket contract on epoll readiness. */
class EpollSocketTest extends SocketContract {
    @Override
    NetMechanism mechanism() {
        return NetMechanism.EPOLL;
    }
}
