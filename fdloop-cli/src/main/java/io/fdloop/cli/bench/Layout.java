package io.fdloop.cli.bench;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/**
 * Writes a job's file before the engines run, as fio lays out its files: random bytes, or with
 * {@code --verify} the {@link Pattern} in every block, so reads have something to check.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class Layout {
    private static final int CHUNK = 1 << 20;

    private Layout() {
    }

    /** Writes the first {@code size} bytes of {@code path} (patterned blocks of {@code blockSize} when {@code pattern}) and syncs. */
    public static void write(Path path, long size, int blockSize, boolean pattern) throws IOException {
        int chunk = Math.max(blockSize, CHUNK / blockSize * blockSize);
        ByteBuffer buffer = ByteBuffer.allocateDirect(chunk);
        MemorySegment segment = MemorySegment.ofBuffer(buffer);
        if (!pattern) {
            byte[] random = new byte[chunk];
            new Random(1).nextBytes(random);
            buffer.put(random);
        }
        long seed = 0x5DEECE66DL;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            for (long written = 0; written < size; written += chunk) {
                int length = (int) Math.min(chunk, size - written);
                if (pattern) {
                    segment.fill((byte) 0);
                    for (int at = 0; at + blockSize <= length; at += blockSize) {
                        seed = seed * 6364136223846793005L + 1442695040888963407L;
                        Pattern.fill(segment.asSlice(at, blockSize), written + at, seed);
                    }
                }
                buffer.clear().limit(length);
                while (buffer.hasRemaining()) {
                    channel.write(buffer, written + buffer.position());
                }
            }
            channel.force(true);
        }
    }
}
