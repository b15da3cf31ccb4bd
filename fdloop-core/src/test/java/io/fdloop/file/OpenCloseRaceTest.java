package io.fdloop.file;

import io.fdloop.EventLoop;
import io.fdloop.file.FileBackend;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Files opened while their loop closes: each open either fails or gives a file the loop then
 * closes, whose close completes; no fd is left behind.
 */
class OpenCloseRaceTest {
    private static final int ROUNDS = 80;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = FileBackend.class, names = {"AIO", "URING", "THREADS"})
    void shouldCloseEveryFileOpenedWhileItsLoopCloses(FileBackend backend) throws Exception {
        assumeTrue(backend.isAvailable(), () -> backend + " is unavailable here: " + backend.unavailabilityCause());
        Path path = Files.write(dir.resolve("file.dat"), new byte[4096]);
        long fdsBefore = openFds();
        for (int round = 0; round < ROUNDS; round++) {
            EventLoop loop = EventLoop.builder().name("race-" + round).daemon(true).with(FileSettings.defaults().withBackend(backend)).start();
            List<AsyncFile> opened = new ArrayList<>();
            CompletableFuture<Void> opener = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 1000; i++) {
                    try {
                        opened.add(AsyncFile.open(loop, path, FileOption.READ, FileOption.DIRECT));
                    } catch (ClosedChannelException closed) {
                        return;
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
            });
            for (int spin = ThreadLocalRandom.current().nextInt(200_000); spin > 0; spin--) {
                Thread.onSpinWait();
            }
            loop.close();
            opener.get(30, TimeUnit.SECONDS);
            for (AsyncFile file : opened) {
                file.closeAsync().get(30, TimeUnit.SECONDS);
                assertFalse(file.isOpen());
            }
        }
        assertEquals(fdsBefore, openFds(), "fds left open by files opened while their loop closed");
    }

    private static long openFds() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
