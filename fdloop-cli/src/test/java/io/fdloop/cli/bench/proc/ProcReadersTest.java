package io.fdloop.cli.bench.proc;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The /proc readers on real and on crafted text, the ready lines, the pinned launch. */
class ProcReadersTest {
    private static final String STAT = "4242 (java (my) server) S 1 4242 4242 0 -1 4194560 91 0 0 0 "
            + "1234 567 89 10 20 0 31 0 1000 8000000 2000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

    @Test
    void shouldCountFieldsAfterTheLastParenthesisOfTheCommandName() {
        assertEquals(1234 + 567, ProcFs.cpuTicks(STAT));
        assertEquals(89 + 10, ProcFs.childrenCpuTicks(STAT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProcFs.cpuTicks("4242 nothing"));
        assertTrue(e.getMessage().contains("not a /proc/PID/stat line"), e.getMessage());
    }

    @Test
    void shouldReadStatusFieldsByExactName() {
        String status = "Name:\tjava\nThreads:\t31\nVmRSS:\t  123456 kB\nvoluntary_ctxt_switches:\t7\n"
                + "nonvoluntary_ctxt_switches:\t3\n";
        assertEquals(31, ProcFs.statusField(status, "Threads"));
        assertEquals(123456, ProcFs.statusField(status, "VmRSS"));
        assertEquals(7, ProcFs.statusField(status, "voluntary_ctxt_switches"));
        assertEquals(3, ProcFs.statusField(status, "nonvoluntary_ctxt_switches"));
        assertThrows(IllegalArgumentException.class, () -> ProcFs.statusField(status, "VmSwap"));
    }

    @Test
    void shouldSampleThisProcessFromTheRealProc() throws IOException {
        long pid = ProcessHandle.current().pid();
        ProcessSample first = ProcFs.sample(pid);
        long spin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long x = 0;
        while (System.nanoTime() < spin) {
            x += System.nanoTime() % 7;
        }
        ProcessSample second = ProcFs.sample(pid);
        assertTrue(x >= 0);
        assertTrue(second.threads() > 1 && second.rssBytes() > 1 << 20, second.toString());
        assertTrue(second.cpuNs() >= first.cpuNs() && second.contextSwitches() >= first.contextSwitches(), second.toString());
        ProcessUsage used = second.since(first);
        assertTrue(used.wallNs() > 0 && used.coreUtilisation() >= 0, used.toString());
        assertTrue(ProcFs.openFds(pid) > 2);
        assertThrows(IOException.class, () -> ProcFs.sample(Integer.MAX_VALUE));
    }

    @Test
    void shouldParseCpuListsAndCoreTimes() {
        assertEquals(List.of(0, 1, 2, 3, 8, 10, 11), Pinning.parseCpuList("0-3,8,10-11\n"));
        assertEquals(List.of(1), Pinning.parseCpuList("1"));
        String stat = "cpu  10 0 10 100 0 0 0 0 0 0\ncpu0 1 2 3 100 50 4 5 6 0 0\ncpu1 7 0 0 0 0 0 0 0 0 0\n";
        assertEquals((1 + 2 + 3 + 4 + 5 + 6) * ProcFs.nanosPerTick(), CoreTimes.parse(stat, 0).busyNs());
        assertEquals(7 * ProcFs.nanosPerTick(), CoreTimes.parse(stat, 1).busyNs());
        assertThrows(IllegalArgumentException.class, () -> CoreTimes.parse(stat, 2));
        CoreTimes from = new CoreTimes(0, 1_000), until = new CoreTimes(0, 801_000);
        assertEquals(0.3, until.othersShareSince(from, 500_000, 1_000_000), 1e-9);
    }

    @Test
    void shouldFindTheAddressInEachKindOfReadyLine() {
        Readiness.ReadyLine listening = (Readiness.ReadyLine) Readiness.LISTENING;
        assertEquals(new InetSocketAddress("127.0.0.1", 4321), listening.match("listening on 127.0.0.1:4321"));
        assertEquals(new InetSocketAddress("::1", 80), listening.match("echo: listening on [::1]:80"));
        assertNull(listening.match("starting"));
        Readiness.ReadyLine serving = (Readiness.ReadyLine) Readiness.SERVING;
        assertEquals(new InetSocketAddress("127.0.0.1", 8080), serving.match("serving /srv/www on http://127.0.0.1:8080/"));
        Readiness.ReadyLine jwebserver = (Readiness.ReadyLine) Readiness.JWEBSERVER;
        assertEquals(new InetSocketAddress("127.0.0.1", 42667), jwebserver.match("URL http://127.0.0.1:42667/"));
        assertNull(jwebserver.match("Serving /tmp and subdirectories on 127.0.0.1 port 42667"));
    }

    @Test
    void shouldPinAndRaiseTheFdLimitInOneLaunch() {
        assertEquals(List.of("taskset", "-c", "1", "java", "-version"),
                PinnedProcess.launchCommand(List.of("java", "-version"), 1, 0));
        List<String> raised = PinnedProcess.launchCommand(List.of("prog"), 0, 20000);
        assertEquals(List.of("sh", "-c"), raised.subList(0, 2));
        assertTrue(raised.get(2).startsWith("ulimit -n 20000 || exit 97; exec "), raised.get(2));
        assertEquals(List.of("sh", "taskset", "-c", "0", "prog"), raised.subList(3, raised.size()));
    }

    @Test
    void shouldSayWhyAServerThatExitsBeforeItIsReadyFailed() {
        assumeTrue(Pinning.unavailableBecause() == null, Pinning::unavailableBecause);
        ServerLaunch launch = new ServerLaunch("broken", List.of("sh", "-c", "echo cannot bind >&2; exit 3"),
                Readiness.LISTENING);
        IOException e = assertThrows(IOException.class,
                () -> ServerProcess.start(launch, 0, 0, TimeUnit.SECONDS.toNanos(10)));
        assertTrue(e.getMessage().contains("broken exited with status 3") && e.getMessage().contains("cannot bind"),
                e.getMessage());
    }

    @Test
    void shouldStopAReadyServerWithSigterm() throws Exception {
        assumeTrue(Pinning.unavailableBecause() == null, Pinning::unavailableBecause);
        ServerLaunch launch = new ServerLaunch("sleeper", List.of("sh", "-c",
                "trap 'exit 0' TERM; echo listening on 127.0.0.1:9; while :; do sleep 0.05; done"), Readiness.LISTENING);
        try (ServerProcess server = ServerProcess.start(launch, 0, 4096, TimeUnit.SECONDS.toNanos(10))) {
            assertEquals(new InetSocketAddress("127.0.0.1", 9), server.address());
            assertTrue(server.sample().threads() >= 1);
            server.stop();
            assertThrows(IOException.class, server::checkAlive);
        }
    }
}
