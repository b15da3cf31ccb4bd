package io.fdloop.cli.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every in-process engine against the real kernel, on tiny jobs counted in requests (no timing
 * is asserted). An engine this host lacks (io_uring disabled, no libaio for Artemis) is left out.
 */
class BenchEnginesTest {
    private static final int BLOCK = 4096, BLOCKS = 64;

    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryEngineBusyOnDevZeroAndCountEachRequestOnce() throws Exception {
        for (Engine engine : available()) {
            for (Rw rw : List.of(Rw.READ, Rw.RANDWRITE)) {
                Job job = new Job(Path.of("/dev/zero"), rw, BLOCK, 4, false, 1 << 20, 0, 0, 2000, false);
                Result result = engine.run(job, Progress.none());
                assertEquals(2000, result.operations(), engine.name() + " " + rw);
                assertTrue(result.latency().p50Us() > 0 && result.latency().maxUs() >= result.latency().p99Us(),
                        engine.name() + " " + rw + ": " + result.latency());
                assertTrue(result.seconds() > 0 && result.cpuUs() >= 0, engine.name() + " " + rw);
            }
        }
    }

    @Test
    void shouldFailTheRunWhenABlockReadBackIsCorrupt() throws Exception {
        Path file = dir.resolve("verify.dat");
        java.nio.file.Files.createFile(file);
        Layout.write(file, (long) BLOCK * BLOCKS, BLOCK, true);
        long corrupted = 37L * BLOCK;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[]{(byte) 0xFF, 0x00, (byte) 0xFF}), corrupted + 1000);
        }
        for (Engine engine : available()) {
            // a sequential pass over every block: the corrupted one is read whatever the engine
            Job job = new Job(file, Rw.READ, BLOCK, 4, false, (long) BLOCK * BLOCKS, 0, 0, 2L * BLOCKS, true);
            Exception failure = assertThrows(Exception.class, () -> engine.run(job, Progress.none()), engine.name());
            assertInstanceOf(VerifyException.class, failure, engine.name());
            assertTrue(failure.getMessage().contains("block at offset " + corrupted)
                    && failure.getMessage().contains("checksum"), engine.name() + ": " + failure.getMessage());
        }
    }

    @Test
    void shouldReadBackWhatEveryEngineWroteUnderVerify() throws Exception {
        Path file = dir.resolve("mixed.dat");
        java.nio.file.Files.createFile(file);
        Layout.write(file, (long) BLOCK * BLOCKS, BLOCK, true);
        for (Engine engine : available()) {
            Job job = new Job(file, Rw.RANDRW, BLOCK, 8, false, (long) BLOCK * BLOCKS, 0, 0, 3000, true);
            Result result = engine.run(job, Progress.none());
            assertEquals(3000, result.operations(), engine.name());
        }
        Job check = new Job(file, Rw.READ, BLOCK, 1, false, (long) BLOCK * BLOCKS, 0, 0, BLOCKS, true);
        assertEquals(BLOCKS, Engines.create("jdk-filechannel").run(check, Progress.none()).operations());
    }

    private static List<Engine> available() {
        List<Engine> engines = new ArrayList<>();
        for (String name : Engines.NAMES) {
            Engine engine = Engines.create(name);
            if (engine.unavailableBecause() == null) {
                engines.add(engine);
            } else {
                System.err.println("BenchEnginesTest: leaving out " + name + ": " + engine.unavailableBecause());
            }
        }
        assertFalse(engines.isEmpty());
        return engines;
    }
}
