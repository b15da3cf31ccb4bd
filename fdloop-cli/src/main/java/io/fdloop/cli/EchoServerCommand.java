package io.fdloop.cli;

import io.fdloop.EventLoop;
import io.fdloop.EventLoopGroup;
import io.fdloop.Signal;
import io.fdloop.net.Listener;
import io.fdloop.net.NetMechanism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code fdloop echo-server}: echoes every byte back, on N loops sharing the port with SO_REUSEPORT,
 * until SIGINT or SIGTERM; then it closes gracefully (what is queued is sent) and exits 0.
 */
@Command(name = "echo-server", mixinStandardHelpOptions = true,
        description = "Echo every byte back on fdloop's sockets until SIGINT/SIGTERM; prints 'listening on HOST:PORT' once ready.")
final class EchoServerCommand implements Callable<Integer> {
    @Option(names = "--bind", description = "Address to listen on (default ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String bind;

    @Option(names = "--port", description = "Port; 0 picks a free one (default ${DEFAULT-VALUE}).", defaultValue = "7007")
    int port;

    @Option(names = "--loops", description = "Event loops, one thread each (default ${DEFAULT-VALUE}).", defaultValue = "1")
    int loops;

    @Option(names = "--mechanism", description = "auto, epoll or uring (default ${DEFAULT-VALUE}: io_uring where the "
            + "kernel has what it needs, see 'fdloop info').", defaultValue = "auto")
    String mechanism;

    @Override
    public Integer call() throws IOException, InterruptedException {
        NetMechanism choice;
        try {
            choice = NetMechanism.valueOf(mechanism.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("fdloop echo-server: --mechanism must be auto, epoll or uring, was " + mechanism);
            return 2;
        }
        if (!choice.isAvailable()) {
            System.err.println("fdloop echo-server: " + choice + " is unavailable here: " + choice.unavailabilityCause());
            return 2;
        }
        if (loops < 1 || port < 0 || port > 65535) {
            System.err.println("fdloop echo-server: --loops must be >= 1 and --port 0 to 65535");
            return 2;
        }
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(bind), port);
        CountDownLatch stop = new CountDownLatch(1);
        try (EventLoopGroup group = EventLoopGroup.start(loops)) {
            Listener listener;
            try {
                listener = Listener.builder().mechanism(choice).bind(group, address,
                        connection -> (c, data) -> c.writeCopy(data));
            } catch (IOException e) {
                System.err.println("fdloop echo-server: " + e.getMessage());
                return 1;
            }
            EventLoop signals = group.loops().getFirst();
            signals.onSignal(Signal.TERM, stop::countDown);
            signals.onSignal(Signal.INT, stop::countDown);
            InetSocketAddress bound = (InetSocketAddress) listener.localAddress();
            System.out.println("listening on " + bound.getAddress().getHostAddress() + ":" + bound.getPort());
            System.out.flush();
            stop.await();
            listener.close();
        }
        return 0;
    }
}
