package io.fdloop.file;

import io.fdloop.EventLoop;
import io.fdloop.file.FileBackend;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random sequences of write, read, writev, readv, fsync and fdatasync at random offsets and sizes,
 * on every backend available here, direct and buffered, each checked against a {@link FileChannel}
 * doing the same to a model file: every result and every byte must agree.
 */
class AsyncFileModelProperties {
    private static final int DIRECT_UNIT = AlignedBuffers.SAFE_ALIGNMENT; // fits every file system's O_DIRECT rule
    private static final int SPAN = 256 * 1024;
    private static final Map<FileBackend, EventLoop> LOOPS = new EnumMap<>(FileBackend.class);

    enum Kind { WRITE, READ, WRITEV, READV, FSYNC, FDATASYNC }

    record Op(Kind kind, int offsetUnits, int lengthUnits, int parts, long seed) {
    }

    @Provide
    Arbitrary<FileBackend> backends() {
        return Arbitraries.of(FileBackend.AIO, FileBackend.URING, FileBackend.THREADS);
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.of(Kind.values()), Arbitraries.integers().between(0, 63),
                Arbitraries.integers().between(1, 16), Arbitraries.integers().between(1, 4), Arbitraries.longs())
                .as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(25);
    }

    @Property(tries = 150)
    void shouldAgreeWithFileChannel(@ForAll("backends") FileBackend backend, @ForAll boolean direct,
                                    @ForAll("operations") List<Op> ops) throws Exception {
        Assume.that(backend.isAvailable());
        // Linux AIO on a buffered file would run inside io_submit: fdloop never picks that on its own.
        Assume.that(direct || backend != FileBackend.AIO);
        Path dir = Files.createTempDirectory(Path.of("").toAbsolutePath().resolve("target"), "model-");
        Path path = dir.resolve("file.dat");
        Path modelPath = dir.resolve("model.dat");
        int unit = direct ? DIRECT_UNIT : 1 + (int) (Math.abs(ops.getFirst().seed()) % 997);
        try (Arena arena = Arena.ofShared();
             FileChannel model = FileChannel.open(modelPath, StandardOpenOption.CREATE, StandardOpenOption.READ,
                     StandardOpenOption.WRITE);
             AsyncFile file = direct
                     ? AsyncFile.open(loop(backend), path, FileOption.READ, FileOption.WRITE, FileOption.CREATE, FileOption.DIRECT)
                     : AsyncFile.open(loop(backend), path, FileOption.READ, FileOption.WRITE, FileOption.CREATE)) {
            for (Op op : ops) {
                apply(op, file, model, arena, unit);
            }
            file.fsync().get(30, TimeUnit.SECONDS);
            assertArrayEquals(Files.readAllBytes(modelPath), Files.readAllBytes(path), "whole file after " + ops);
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(modelPath);
            Files.deleteIfExists(dir);
        }
    }

    private static void apply(Op op, AsyncFile file, FileChannel model, Arena arena, int unit) throws Exception {
        long position = (long) op.offsetUnits() * unit % SPAN / unit * unit;
        int length = op.lengthUnits() * unit;
        switch (op.kind()) {
            case FSYNC -> file.fsync().get(30, TimeUnit.SECONDS);
            case FDATASYNC -> file.fdatasync().get(30, TimeUnit.SECONDS);
            case WRITE, WRITEV -> {
                byte[] bytes = new byte[length];
                new Random(op.seed()).nextBytes(bytes);
                MemorySegment source = AlignedBuffers.allocate(arena, length, DIRECT_UNIT);
                MemorySegment.copy(MemorySegment.ofArray(bytes), 0, source, 0, length);
                int written = op.kind() == Kind.WRITE
                        ? file.write(source, position).get(30, TimeUnit.SECONDS)
                        : file.write(split(source, op.parts(), unit), position).get(30, TimeUnit.SECONDS);
                int expected = model.write(ByteBuffer.wrap(bytes), position);
                assertEquals(expected, written, op + " bytes written");
            }
            case READ, READV -> {
                MemorySegment target = AlignedBuffers.allocate(arena, length, DIRECT_UNIT);
                int read = op.kind() == Kind.READ
                        ? file.read(target, position).get(30, TimeUnit.SECONDS)
                        : file.read(split(target, op.parts(), unit), position).get(30, TimeUnit.SECONDS);
                ByteBuffer expected = ByteBuffer.allocate(length);
                int fromModel = Math.max(0, model.read(expected, position)); // -1 at end of file is pread's 0
                assertEquals(fromModel, read, op + " bytes read");
                assertArrayEquals(java.util.Arrays.copyOf(expected.array(), fromModel),
                        target.asSlice(0, read).toArray(JAVA_BYTE), op + " bytes");
            }
        }
    }

    /** {@code segment} cut into up to {@code parts} pieces, each a multiple of {@code unit}. */
    private static MemorySegment[] split(MemorySegment segment, int parts, int unit) {
        long units = segment.byteSize() / unit;
        int count = (int) Math.min(parts, units);
        List<MemorySegment> pieces = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < count; i++) {
            long size = i == count - 1 ? segment.byteSize() - offset : units / count * unit;
            pieces.add(segment.asSlice(offset, size));
            offset += size;
        }
        return pieces.toArray(MemorySegment[]::new);
    }

    private static synchronized EventLoop loop(FileBackend backend) {
        return LOOPS.computeIfAbsent(backend, b -> {
            try {
                return EventLoop.builder().name("model-" + b).daemon(true).with(FileSettings.defaults().withBackend(b)).start();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterContainer
    static synchronized void closeLoops() {
        LOOPS.values().forEach(EventLoop::close);
        LOOPS.clear();
    }
}
