package io.fdloop.cli.bench.proc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A program of its own pinned to one core with {@code taskset -c}, optionally with a raised fd
 * limit ({@code ulimit -n} in a shell that then execs it, so the pid stays the program's). Its
 * standard output and error are read line by line; {@link #stop} sends SIGTERM and checks that it
 * exits. Whatever is still running when this JVM exits is killed by a shutdown hook.
 *
 * <p><b>Thread-safe</b> for {@link #nextLine} from one reader thread at a time; the rest any thread.
 */
public final class PinnedProcess implements AutoCloseable {
    /** Exit status of the launch shell when {@code ulimit -n} was refused. */
    static final int FD_LIMIT_REFUSED = 97;
    private static final int TAIL_LINES = 40;
    private static final Set<PinnedProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (PinnedProcess p : LIVE) {
                p.kill();
            }
        }, "fdloop-bench-reaper"));
    }

    private final String name;
    private final List<String> command;
    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private volatile boolean outputEnded;

    private PinnedProcess(String name, List<String> command, Process process) {
        this.name = name;
        this.command = command;
        this.process = process;
        LIVE.add(this);
        Thread.ofPlatform().daemon().name(name + "-output").start(this::readOutput);
    }

    /**
     * Starts {@code command} on {@code core}, in {@code directory} (null: this one's), with
     * {@code environment} added, and its soft fd limit raised to {@code fdLimit} (0: left as it is).
     * Any thread.
     */
    public static PinnedProcess start(String name, List<String> command, int core, int fdLimit, Path directory,
                                      Map<String, String> environment) throws IOException {
        List<String> full = launchCommand(command, core, fdLimit);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().putAll(environment);
        return new PinnedProcess(name, full, builder.start());
    }

    /** The command line that runs {@code command} pinned to {@code core} with {@code fdLimit} fds (0: unchanged). */
    static List<String> launchCommand(List<String> command, int core, int fdLimit) {
        List<String> full = new ArrayList<>();
        if (fdLimit > 0) {
            full.addAll(List.of("sh", "-c", "ulimit -n " + fdLimit + " || exit " + FD_LIMIT_REFUSED + "; exec \"$@\"", "sh"));
        }
        full.addAll(List.of("taskset", "-c", Integer.toString(core)));
        full.addAll(command);
        return full;
    }

    public String name() {
        return name;
    }

    /** The process id (the program's own: taskset and the shell exec it). Any thread. */
    public long pid() {
        return process.pid();
    }

    /** The command line as started, for a report. Any thread. */
    public List<String> command() {
        return command;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code timeoutNs} for it to exit by itself; its exit status, or -1 while it still runs. */
    public int awaitExit(long timeoutNs) throws InterruptedException {
        if (!process.waitFor(timeoutNs, TimeUnit.NANOSECONDS)) {
            return -1;
        }
        LIVE.remove(this);
        return process.exitValue();
    }

    /** What /proc says about it and its children now. Any thread. */
    public ProcessSample sample() throws IOException {
        return ProcFs.sample(process.pid());
    }

    /** Its standard input, for a program that takes commands there. */
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    /**
     * The next line it printed, waiting up to {@code timeoutNs}; null when none came in time or
     * its output ended. One reader thread.
     */
    public String nextLine(long timeoutNs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNs;
        while (true) {
            String line = lines.poll(Math.min(100_000_000L, Math.max(0, deadline - System.nanoTime())), TimeUnit.NANOSECONDS);
            if (line != null) {
                return line;
            }
            if ((outputEnded && lines.isEmpty()) || System.nanoTime() >= deadline) {
                return null;
            }
        }
    }

    /** Why it ended, if it did: its exit status and its last lines of output; null while it runs. */
    public String exitReport() {
        if (process.isAlive()) {
            return null;
        }
        int status = process.exitValue();
        String why = status == FD_LIMIT_REFUSED && command.getFirst().equals("sh")
                ? "could not raise its fd limit (ulimit -n refused; the hard limit is lower: raise it, or run as root)"
                : "exited with status " + status;
        return name + " " + why + lastOutput();
    }

    /** Its last lines of output, indented, for an error message; empty when it printed nothing. */
    public String lastOutput() {
        synchronized (tail) {
            return tail.isEmpty() ? "" : "; its last output:\n    " + String.join("\n    ", tail);
        }
    }

    /**
     * Sends SIGTERM and waits up to {@code timeoutNs} for it to exit; if it does not, kills it and
     * its children. Returns whether it exited on SIGTERM. Any thread; once is enough.
     */
    public boolean stop(long timeoutNs) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        boolean exited = process.waitFor(timeoutNs, TimeUnit.NANOSECONDS);
        for (ProcessHandle child : children) {
            // nginx's worker leaves after its master; one still there was orphaned
            try {
                child.onExit().get(exited ? 2 : 0, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                exited = false;
            }
        }
        if (!exited) {
            kill();
            for (ProcessHandle child : children) {
                child.destroyForcibly();
            }
            process.waitFor(5, TimeUnit.SECONDS);
        }
        LIVE.remove(this);
        return exited;
    }

    /** Sends it SIGINT (wrk stops and reports on it). Any thread. */
    public void interrupt() throws IOException, InterruptedException {
        if (process.isAlive()) {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
        }
    }

    /**
     * Everything it prints until it exits, waiting up to {@code timeoutNs}; IOException when it is
     * still running then (it is killed). One reader thread.
     */
    public String outputUntilExit(long timeoutNs) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutNs;
        StringBuilder out = new StringBuilder();
        while (true) {
            String line = nextLine(Math.max(0, deadline - System.nanoTime()));
            if (line != null) {
                out.append(line).append('\n');
                continue;
            }
            if (outputEnded && lines.isEmpty()) {
                if (awaitExit(Math.max(0, deadline - System.nanoTime())) != -1) {
                    return out.toString();
                }
            }
            if (System.nanoTime() >= deadline) {
                kill();
                throw new IOException(name + " did not finish within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNs)
                        + " s and was killed" + lastOutput());
            }
        }
    }

    /** Kills it and its children at once (SIGKILL). Any thread. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Stops it (SIGTERM, then SIGKILL after 5 s) if it still runs. */
    @Override
    public void close() {
        if (!LIVE.contains(this)) {
            return;
        }
        try {
            stop(TimeUnit.SECONDS.toNanos(5));
        } catch (InterruptedException e) {
            kill();
            LIVE.remove(this);
            Thread.currentThread().interrupt();
        }
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                synchronized (tail) {
                    if (tail.size() == TAIL_LINES) {
                        tail.removeFirst();
                    }
                    tail.addLast(line);
                }
            }
        } catch (IOException e) {
            // the stream closed under us: the process is gone
        } finally {
            outputEnded = true;
        }
    }
}
