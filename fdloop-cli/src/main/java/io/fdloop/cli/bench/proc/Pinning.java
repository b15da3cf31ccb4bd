package io.fdloop.cli.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The two cores a network benchmark uses, one for the server and one for the load, from the CPUs
 * this process may run on, and whether {@code taskset} is there to pin them.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param server the server's core
 * @param client the load generator's core
 */
public record Pinning(int server, int client) {

    /** The first two CPUs this process may run on. IllegalStateException when there are fewer. */
    public static Pinning ofThisProcess() throws IOException {
        List<Integer> cpus = parseCpuList(selfStatus("Cpus_allowed_list"));
        if (cpus.size() < 2) {
            throw new IllegalStateException("a network benchmark pins the server and the load to a core each, "
                    + "and this process may only run on CPU " + cpus);
        }
        return new Pinning(cpus.get(0), cpus.get(1));
    }

    /** Why servers cannot be pinned here (no taskset, fewer than two cores), or null. */
    public static String unavailableBecause() {
        try {
            Process probe = new ProcessBuilder("taskset", "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            if (probe.waitFor() != 0) {
                return "taskset --version failed";
            }
            ofThisProcess();
            return null;
        } catch (IOException e) {
            return "taskset is not installed (apt-get install util-linux)";
        } catch (IllegalStateException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while looking for taskset";
        }
    }

    /** The CPUs in a list such as {@code 0-3,8,10-11}. */
    static List<Integer> parseCpuList(String list) {
        List<Integer> cpus = new ArrayList<>();
        for (String part : list.trim().split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
            for (int cpu = from; cpu <= to; cpu++) {
                cpus.add(cpu);
            }
        }
        return cpus;
    }

    private static String selfStatus(String key) throws IOException {
        String status = Files.readString(Path.of("/proc/self/status"));
        for (String line : status.split("\n")) {
            if (line.startsWith(key + ":")) {
                return line.substring(key.length() + 1);
            }
        }
        throw new IOException("no " + key + " in /proc/self/status");
    }
}
