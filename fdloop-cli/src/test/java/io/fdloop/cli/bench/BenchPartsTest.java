package io.fdloop.cli.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces of bench that need no engine: units, workload, verify pattern, fio's JSON, the outputs. */
class BenchPartsTest {
    private static final Path ZERO = Path.of("/dev/zero");

    @TempDir
    Path dir;

    @Test
    void shouldParseSizesAndDurationsAsFioWritesThem() {
        assertEquals(4096, Units.parseSize("4k"));
        assertEquals(4096, Units.parseSize("4KiB"));
        assertEquals(256L << 20, Units.parseSize("256m"));
        assertEquals(1L << 30, Units.parseSize("1g"));
        assertEquals(512, Units.parseSize("512"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseSize("0"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseSize("4x"));
        assertEquals(3_000_000_000L, Units.parseDuration("3s"));
        assertEquals(500_000_000L, Units.parseDuration("500ms"));
        assertEquals(120_000_000_000L, Units.parseDuration("2m"));
        assertEquals(0, Units.parseDuration("0s"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseDuration("soon"));
        assertEquals("4k", Units.bytes(4096));
        assertEquals("256m", Units.bytes(256L << 20));
        assertEquals("1536", Units.bytes(1536));
        assertEquals(Rw.RANDRW, Rw.parse("randrw"));
        assertTrue(Rw.RANDRW.reads() && Rw.RANDRW.writes() && Rw.RANDRW.random());
        assertThrows(IllegalArgumentException.class, () -> Rw.parse("trim"));
    }

    @Test
    void shouldRefuseAJobWhoseFileCannotGiveEachRequestItsOwnBlocks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> job(Rw.READ, 4096, 64, 16 * 4096, 0, false));
        assertTrue(e.getMessage().contains("queue depth 64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> job(Rw.READ, 16, 1, 1 << 20, 0, true));
    }

    @Test
    void shouldKeepTheRequestsInFlightOnBlocksOfTheirOwn() {
        Job job = job(Rw.RANDRW, 4096, 4, 64 * 4096, 0, false);
        Workload workload = new Workload(job);
        int writes = 0;
        for (int slot = 0; slot < 4; slot++) {
            for (int i = 0; i < 1000; i++) {
                long offset = workload.nextOffset(slot);
                assertEquals(0, offset % 4096);
                assertTrue(offset >= 0 && offset < 64 * 4096);
                assertEquals(slot, offset / 4096 % 4, "slot " + slot + " strayed onto " + offset);
                writes += workload.nextIsWrite(slot) ? 1 : 0;
            }
        }
        assertTrue(writes > 1500 && writes < 2500, "randrw is half writes, was " + writes + " of 4000");

        Workload sequential = new Workload(job(Rw.READ, 4096, 4, 64 * 4096, 0, false));
        Set<Long> firstRound = new HashSet<>();
        for (int slot = 0; slot < 4; slot++) {
            firstRound.add(sequential.nextOffset(slot));
            assertFalse(sequential.nextIsWrite(slot));
        }
        assertEquals(Set.of(0L, 4096L, 8192L, 12288L), firstRound, "sequential: the first qd blocks, in flight together");
        assertEquals(4 * 4096, sequential.nextOffset(0));
    }

    @Test
    void shouldDetectACorruptedMisplacedOrMissingBlock() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(4096, 4096);
            Pattern.fill(block, 8192, 42);
            assertNull(Pattern.check(block, 8192));

            String misplaced = Pattern.check(block, 4096);
            assertNotNull(misplaced);
            assertTrue(misplaced.contains("written for offset 8192"), misplaced);

            block.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 1000, (byte) (block.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 1000) ^ 1));
            String corrupt = Pattern.check(block, 8192);
            assertNotNull(corrupt);
            assertTrue(corrupt.contains("checksum") && corrupt.contains("offset 8192"), corrupt);

            block.fill((byte) 0);
            String missing = Pattern.check(block, 8192);
            assertNotNull(missing);
            assertTrue(missing.contains("no verify pattern"), missing);
        }
    }

    @Test
    void shouldReadFiosJsonAndPairItsRowsWithFdloops() throws Exception {
        String fio = """
                fio: some warning before the JSON
                {"fio version" : "fio-3.33", "jobs" : [ { "jobname" : "fio-libaio",
                  "mixed" : { "total_ios" : 3000000, "runtime" : 1000, "iops" : 3000000.0,
                    "clat_ns" : { "max" : 70000, "percentile" : { "50.000000" : 460, "99.000000" : 600, "99.900000" : 800 } },
                    "lat_ns" : { "max" : 90000, "percentile" : { "50.000000" : 8400, "99.000000" : 9800, "99.900000" : 32000 } } },
                  "usr_cpu" : 45.0, "sys_cpu" : 55.0, "ctx" : 300 } ] }
                """;
        Job job = job(Rw.READ, 4096, 32, 256L << 20, 0, false);
        Result theirs = FioEngine.parse("fio-libaio", job, fio);
        assertEquals(3_000_000, theirs.iops(), 1);
        assertEquals(8.4, theirs.latency().p50Us(), 1e-9);
        assertEquals(32.0, theirs.latency().p999Us(), 1e-9);
        assertEquals(90.0, theirs.latency().maxUs(), 1e-9);
        assertEquals(0.46, theirs.fioClat().p50Us(), 1e-9);
        assertEquals(1.0 / 3, theirs.cpuUsPerOperation(), 1e-9);
        assertEquals(1e-4, theirs.contextSwitchesPerOperation(), 1e-12);

        Result ours = new Result("fdloop-aio", job, 2_700_000, 1.0, 1_000_000, 30, 1, 0,
                new Result.Latency(10, 12, 40, 100), null);
        List<Result> both = List.of(ours, theirs);
        List<Ratio> ratios = Ratio.of(both);
        assertEquals(1, ratios.size());
        assertEquals(0.9, ratios.getFirst().iops(), 1e-9);
        assertTrue(Double.isNaN(ratios.getFirst().contextSwitchesPerOperation()), "both under 1 in 1000: no ratio");

        String table = Table.format(both);
        assertTrue(table.contains("fdloop-aio/fio-libaio") && table.contains("0.90x"), table);
        Object json = JsonParser.parse(JsonReport.format(both));
        Map<?, ?> first = (Map<?, ?>) ((List<?>) json).getFirst();
        assertEquals(0.9, (Double) JsonParser.at(first, "vs_fio", "iops"), 1e-9);
        assertEquals("fio-libaio", JsonParser.at(first, "vs_fio", "engine"));
        Map<?, ?> second = (Map<?, ?>) ((List<?>) json).get(1);
        assertNull(second.get("alloc_b_per_op"), "fio's allocation is not known");
        assertEquals(0.46, (Double) second.get("clat_p50_us"), 1e-9);
    }

    @Test
    void shouldDrawAPngForOneQueueDepthAndForASweep() throws Exception {
        Result.Latency latency = new Result.Latency(10, 20, 30, 40);
        Result a1 = new Result("fdloop-aio", job(Rw.READ, 4096, 1, 1 << 20, 0, false), 1000, 1, 1000, 0, 1, 0, latency, null);
        Result b1 = new Result("jdk-async", a1.job(), 500, 1, 2000, 10, 3, 80, latency, null);
        Result a4 = new Result("fdloop-aio", a1.job().withQueueDepth(4), 3000, 1, 1000, 0, 1, 0, latency, null);
        Path bars = dir.resolve("bars.png");
        Path sweep = dir.resolve("sweep.png");
        Plot.write(List.of(a1, b1), bars);
        Plot.write(List.of(a1, b1, a4), sweep);
        for (Path png : List.of(bars, sweep)) {
            byte[] head = Files.readAllBytes(png);
            assertTrue(head.length > 1000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', png + " is a PNG");
        }
    }

    @Test
    void shouldSayHowToInstallLibaioWhenArtemisCannotLoad() {
        String why = ArtemisNative.explain(new UnsatisfiedLinkError(
                "/tmp/x/libartemis-native-64.so: libaio.so.1: cannot open shared object file: No such file or directory"));
        assertTrue(why.contains("apt-get install libaio1"), why);
    }

    static Job job(Rw rw, int blockSize, int queueDepth, long size, long ops, boolean verify) {
        return new Job(ZERO, rw, blockSize, queueDepth, false, size, 1_000_000, 0, ops, verify);
    }
}
