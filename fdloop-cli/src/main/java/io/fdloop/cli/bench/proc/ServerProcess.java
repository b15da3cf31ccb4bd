package io.fdloop.cli.bench.proc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server engine running in a process of its own, pinned to one core: started, waited for
 * until it is ready, read from {@code /proc} while the load runs, and stopped with SIGTERM.
 *
 * <p><b>Not thread-safe</b>: the controlling thread only.
 */
public final class ServerProcess implements AutoCloseable {
    private static final long PROBE_INTERVAL_MS = 50;
    private static final long STOP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final PinnedProcess process;
    private final InetSocketAddress address;

    private ServerProcess(PinnedProcess process, InetSocketAddress address) {
        this.process = process;
        this.address = address;
    }

    /**
     * Starts {@code launch} on {@code core} with its fd limit raised to {@code fdLimit} (0:
     * unchanged) and waits up to {@code readyTimeoutNs} for it to be ready. An IOException that
     * says why when it exits or stays silent; nothing is left running then.
     */
    public static ServerProcess start(ServerLaunch launch, int core, int fdLimit, long readyTimeoutNs)
            throws IOException, InterruptedException {
        PinnedProcess process = PinnedProcess.start(launch.engine(), launch.command(), core, fdLimit,
                launch.directory(), launch.environment());
        boolean ready = false;
        try {
            InetSocketAddress address = switch (launch.readiness()) {
                case Readiness.ReadyLine line -> awaitLine(process, line, readyTimeoutNs);
                case Readiness.PortProbe probe -> awaitPort(process, probe.address(), readyTimeoutNs);
            };
            ready = true;
            return new ServerProcess(process, address);
        } finally {
            if (!ready) {
                process.kill();
                process.stop(TimeUnit.SECONDS.toNanos(2));
            }
        }
    }

    public String engine() {
        return process.name();
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return address;
    }

    public long pid() {
        return process.pid();
    }

    /** The command line it was started with (pinning included). */
    public List<String> command() {
        return process.command();
    }

    /** CPU, context switches, threads and memory of the server (and its children) now. */
    public ProcessSample sample() throws IOException {
        if (!process.isAlive()) {
            throw new IOException(process.exitReport());
        }
        return process.sample();
    }

    /** Open fds of the server process now. */
    public int openFds() throws IOException {
        return ProcFs.openFds(process.pid());
    }

    /** An IOException saying that it died, or nothing while it runs. */
    public void checkAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IOException(process.exitReport());
        }
    }

    /** Stops it with SIGTERM; IOException when it had to be killed because it did not exit. */
    public void stop() throws IOException, InterruptedException {
        if (!process.stop(STOP_TIMEOUT_NS)) {
            throw new IOException(engine() + " did not exit within "
                    + TimeUnit.NANOSECONDS.toSeconds(STOP_TIMEOUT_NS) + " s of SIGTERM and was killed" + process.lastOutput());
        }
    }

    @Override
    public void close() {
        process.close();
    }

    private static InetSocketAddress awaitLine(PinnedProcess process, Readiness.ReadyLine ready, long timeoutNs)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutNs;
        while (true) {
            String line = process.nextLine(deadline - System.nanoTime());
            if (line == null) {
                throw new IOException(process.isAlive()
                        ? process.name() + " printed no ready line within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNs)
                        + " s (expected one matching " + ready.pattern() + ")" + process.lastOutput()
                        : process.exitReport());
            }
            InetSocketAddress address = ready.match(line);
            if (address != null) {
                return address;
            }
        }
    }

    private static InetSocketAddress awaitPort(PinnedProcess process, InetSocketAddress address, long timeoutNs)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutNs;
        while (true) {
            if (!process.isAlive()) {
                throw new IOException(process.exitReport());
            }
            try (Socket socket = new Socket()) {
                socket.connect(address, (int) PROBE_INTERVAL_MS);
                return address;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(process.name() + " accepted no connection on " + address + " within "
                            + TimeUnit.NANOSECONDS.toSeconds(timeoutNs) + " s" + process.lastOutput());
                }
                Thread.sleep(PROBE_INTERVAL_MS);
            }
        }
    }
}
