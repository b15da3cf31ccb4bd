package io.fdloop.file;

import io.fdloop.EventLoop;
import io.fdloop.file.FileBackend;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The contract on Linux AIO (eventfd via IOCB_FLAG_RESFD), plus what only AIO has. */
class AioAsyncFileTest extends AsyncFileContract {
    @Override
    FileBackend backend() {
        return FileBackend.AIO;
    }

    @Test
    void shouldGiveTheSameResultsWhenReapingWithIoGetevents() throws Exception {
        EventLoop syscallLoop = loopBuilder("io-getevents").with(settings().withForceIoGetevents(true)).start();
        try (AsyncFile file = AsyncFile.open(syscallLoop, dir.resolve("getevents.dat"), FileOption.READ,
                FileOption.WRITE, FileOption.CREATE, FileOption.DIRECT)) {
            assertWriteReadBack(file, 16 << 20, 7);
        } finally {
            syscallLoop.close();
        }
        try (AsyncFile file = AsyncFile.open(loop, dir.resolve("ring.dat"), FileOption.READ, FileOption.WRITE,
                FileOption.CREATE, FileOption.DIRECT)) {
            assertWriteReadBack(file, 16 << 20, 7);
            file.fsync().get(10, TimeUnit.SECONDS);
        }
        assertEquals(-1L, Files.mismatch(dir.resolve("getevents.dat"), dir.resolve("ring.dat")));
    }
}
