package io.fdloop.cli.bench.http;

import io.fdloop.cli.bench.proc.PinnedProcess;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * wrk from the system, one thread, pinned to the load core, with one of bench's Lua scripts.
 *
 * <p><b>Not thread-safe</b>: one run per instance, driven by the controlling thread.
 */
final class Wrk {
    /** wrk's own timeout per request: one that takes longer counts as an error. */
    private static final String REQUEST_TIMEOUT = "10s";
    private static final long GRACE_NS = TimeUnit.SECONDS.toNanos(30);

    private final PinnedProcess process;
    private final long durationNs;

    private Wrk(PinnedProcess process, long durationNs) {
        this.process = process;
        this.durationNs = durationNs;
    }

    /** Why wrk cannot run here, or null. */
    static String unavailableBecause() {
        try {
            Process probe = new ProcessBuilder("wrk", "-v").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            probe.waitFor();
            return null;
        } catch (IOException e) {
            return "wrk is not installed (apt-get install wrk)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while looking for wrk";
        }
    }

    /** The wrk command line for {@code script} against {@code server}. */
    static List<String> command(InetSocketAddress server, int connections, long durationNs, Path script) {
        long seconds = Math.max(1, (durationNs + 999_999_999L) / 1_000_000_000L);
        return List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--timeout", REQUEST_TIMEOUT,
                "-s", script.toString(), "http://" + server.getHostString() + ":" + server.getPort() + "/");
    }

    /** Starts wrk with {@code luaScript} (written to a file in {@code scratch}) on {@code core}. */
    static Wrk start(String name, String luaScript, Path scratch, InetSocketAddress server, int connections,
                     long durationNs, int core) throws IOException {
        Path script = Files.createTempFile(scratch, name, ".lua");
        Files.writeString(script, luaScript);
        PinnedProcess process = PinnedProcess.start(name, command(server, connections, durationNs, script), core,
                0, scratch, Map.of());
        return new Wrk(process, durationNs);
    }

    /** Stops it early, as ^C does: it still reports. */
    void interrupt() throws IOException, InterruptedException {
        process.interrupt();
    }

    /** Waits for it to end and reads its report; IOException when it failed or printed none. */
    WrkResult finish() throws IOException, InterruptedException {
        try {
            String out = process.outputUntilExit(durationNs + GRACE_NS);
            int status = process.awaitExit(0);
            if (status != 0) {
                throw new IOException("wrk exited with status " + status + ": " + out.strip());
            }
            try {
                return WrkResult.parse(out);
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
        } finally {
            process.close();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }
}
