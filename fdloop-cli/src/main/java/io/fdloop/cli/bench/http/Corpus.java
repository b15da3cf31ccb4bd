package io.fdloop.cli.bench.http;

import io.fdloop.cli.bench.proc.TempDirectory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.SplittableRandom;

/**
 * The files every HTTP server serves, in a temporary directory removed on {@link #close}: the hot
 * files ({@code hot-13b.txt} holds {@code Hello, World!}, then {@code hot-4k.bin},
 * {@code hot-64k.bin}, {@code hot-1m.bin}) and, for the cold case, {@code cold/0.bin},
 * {@code cold/1.bin}, ... of 4 MiB each. Readable by everyone: nginx's worker drops root.
 *
 * <p><b>Not thread-safe</b>: made and removed by the controlling thread.
 */
public final class Corpus implements AutoCloseable {
    public static final int COLD_FILE_BYTES = 4 << 20;
    static final String HOT_13B = "Hello, World!";

    private final TempDirectory directory;
    private final Path root;
    private final int coldFiles;

    private Corpus(TempDirectory directory, int coldFiles) {
        this.directory = directory;
        this.root = directory.path();
        this.coldFiles = coldFiles;
    }

    /** Lays the files out under a new temporary directory; {@code coldBytes} 0: no cold files. */
    public static Corpus create(long coldBytes) throws IOException {
        Corpus corpus = new Corpus(TempDirectory.create("fdloop-http-"), (int) (coldBytes / COLD_FILE_BYTES));
        Path root = corpus.root;
        try {
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            corpus.write("hot-13b.txt", HOT_13B.getBytes(StandardCharsets.US_ASCII));
            corpus.write("hot-4k.bin", random(4 << 10, 4));
            corpus.write("hot-64k.bin", random(64 << 10, 64));
            corpus.write("hot-1m.bin", random(1 << 20, 1024));
            if (corpus.coldFiles > 0) {
                Path cold = Files.createDirectory(root.resolve("cold"));
                Files.setPosixFilePermissions(cold, PosixFilePermissions.fromString("rwxr-xr-x"));
                byte[] block = random(COLD_FILE_BYTES, 4096);
                for (int i = 0; i < corpus.coldFiles; i++) {
                    // a different first long per file: no two files are the same bytes
                    ByteBuffer.wrap(block).putLong(0, i);
                    corpus.write("cold/" + i + ".bin", block);
                }
            }
            return corpus;
        } catch (IOException | RuntimeException e) {
            corpus.close();
            throw e;
        }
    }

    public Path root() {
        return root;
    }

    /** How many 4 MiB files the cold case goes through. */
    public int coldFiles() {
        return coldFiles;
    }

    /** Removes every file. */
    @Override
    public void close() throws IOException {
        directory.close();
    }

    private void write(String name, byte[] bytes) throws IOException {
        Path file = root.resolve(name);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
