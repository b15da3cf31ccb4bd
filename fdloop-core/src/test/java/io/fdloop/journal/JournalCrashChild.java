package io.fdloop.journal;

import io.fdloop.EventLoop;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The process {@link JournalCrashTest} kills: opens the journal in {@code args[0]}, lets go of
 * what earlier runs left (the parent checked it already), then appends from {@code args[1]}
 * threads as fast as the journal takes records, printing {@code C <position> <id>} for each
 * completed append, flushed at once, until it is killed.
 */
public final class JournalCrashChild {
    private JournalCrashChild() {
    }

    /** The bytes of record {@code id}: its id, then a pattern only that id gives. */
    static byte[] recordBytes(long id) {
        int length = 8 + Math.floorMod(id * 2654435761L, 1500);
        byte[] bytes = new byte[length];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (id >>> (8 * i));
        }
        for (int i = 8; i < length; i++) {
            bytes[i] = (byte) (id * 31 + i * 7);
        }
        return bytes;
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        long run = Long.parseLong(args[2]);
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.US_ASCII);
        EventLoop loop = EventLoop.builder().name("crash-child").start();
        Journal journal = Journal.builder(loop, directory).segmentSize(1 << 20).queueCapacity(1024).open();
        journal.release(journal.recovery().endPosition());
        AppendHandler<Long> printer = new AppendHandler<>() {
            @Override
            public void completed(long position, Long id) {
                // The loop thread prints: a line is out only after its append completed.
                out.print("C " + position + " " + id + "\n");
                out.flush();
            }

            @Override
            public void failed(Throwable error, Long id) {
                out.print("F " + id + " " + error + "\n");
                out.flush();
            }
        };
        for (int t = 0; t < threads; t++) {
            long producer = run << 40 | (long) t << 32;
            Thread.ofPlatform().start(() -> {
                for (long i = 0; ; i++) {
                    long id = producer | i;
                    journal.append(recordBytes(id), id, printer);
                }
            });
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
