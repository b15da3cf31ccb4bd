package io.fdloop.file;

import java.io.BufferedWriter;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

/**
 * For {@link FdloopFileSystemProviderTest}: an application that knows nothing of fdloop, run with
 * fdloop's provider as the default one. Prints what it saw; the test reads it.
 */
public final class ProviderChild {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        System.out.println("provider " + FileSystems.getDefault().provider().getClass().getName());
        Path file = dir.resolve("data.bin");
        try (AsynchronousFileChannel channel = AsynchronousFileChannel.open(file, CREATE, WRITE, READ)) {
            System.out.println("channel " + channel.getClass().getName());
            byte[] hello = "hello, fdloop".getBytes(StandardCharsets.UTF_8);
            System.out.println("wrote " + channel.write(ByteBuffer.wrap(hello), 0).get(30, TimeUnit.SECONDS));
            ByteBuffer back = ByteBuffer.allocate(64);
            System.out.println("read " + channel.read(back, 0).get(30, TimeUnit.SECONDS) + " "
                    + new String(back.array(), 0, back.position(), StandardCharsets.UTF_8));
            System.out.println("size " + channel.size());
        }
        var pool = Executors.newSingleThreadExecutor();
        try (AsynchronousFileChannel channel = AsynchronousFileChannel.open(dir.resolve("private.bin"),
                Set.of(CREATE, WRITE), pool, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            System.out.println("permissions " + PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("private.bin"))));
        } finally {
            pool.shutdown();
        }
        try (FileChannel blocking = FileChannel.open(file, READ)) {
            System.out.println("file channel size " + blocking.size());
        }
        try (BufferedWriter writer = Files.newBufferedWriter(dir.resolve("text.txt"))) {
            writer.write("line one\nline two\n");
        }
        System.out.println("lines " + Files.readAllLines(dir.resolve("text.txt")));
        Files.copy(file, dir.resolve("copy.bin"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(dir.resolve("copy.bin"), dir.resolve("moved.bin"));
        Files.createDirectories(dir.resolve("sub/deeper"));
        try (Stream<Path> walk = Files.walk(dir)) {
            System.out.println("walk " + walk.map(p -> dir.relativize(p).toString()).sorted().toList());
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.bin")) {
            List<String> names = new java.util.ArrayList<>();
            entries.forEach(p -> names.add(p.getFileName().toString()));
            System.out.println("glob " + names.stream().sorted().toList());
        }
        System.out.println("matcher " + FileSystems.getDefault().getPathMatcher("glob:**.txt").matches(dir.resolve("text.txt")));
        System.out.println("exists " + Files.exists(dir.resolve("moved.bin")) + " " + Files.exists(dir.resolve("copy.bin")));
        System.out.println("real " + dir.resolve("sub/../text.txt").toRealPath().equals(dir.toRealPath().resolve("text.txt")));
        System.out.println("file " + dir.resolve("text.txt").toFile().length());
        Files.delete(dir.resolve("moved.bin"));
        System.out.println("OK");
    }
}
