package io.fdloop;

import io.fdloop.file.AlignedBuffers;
import io.fdloop.file.AsyncFile;
import io.fdloop.file.FileOption;
import io.fdloop.file.IoHandler;
import io.fdloop.internal.linux.Arch;
import io.fdloop.internal.linux.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The loop of every kind of fd in a process of its own, for {@link OneLoopForEveryFdTest}: one loop receiving AIO
 * completions, bytes on a pipe, a timer, a user EventFd poke and SIGTERM. Every dispatch checks
 * that it runs on the loop thread. Exits 0 when all five arrived, each on the loop thread.
 */
final class OneLoopForEveryFdChild {
    enum Kind { AIO, PIPE, TIMER, EVENTFD, SIGNAL }

    private static final Set<Kind> seen = EnumSet.noneOf(Kind.class);
    private static boolean offLoop;
    private static EventLoop loop;

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Syscalls syscalls = Syscalls.linux();
        loop = EventLoop.open(); // driven by this thread: the loop thread is main
        try (Arena arena = Arena.ofShared()) {
            MemorySegment pipe = arena.allocate(JAVA_INT, 2);
            if (syscalls.pipe2(pipe, Arch.O_NONBLOCK | Arch.O_CLOEXEC) < 0) {
                throw new IllegalStateException("pipe2 failed");
            }
            int readEnd = pipe.getAtIndex(JAVA_INT, 0);
            int writeEnd = pipe.getAtIndex(JAVA_INT, 1);
            MemorySegment pipeBuffer = arena.allocate(64);
            loop.register(readEnd, Interest.READ, (registration, ready) -> {
                if (syscalls.read(readEnd, pipeBuffer.address(), 64) > 0) {
                    saw(Kind.PIPE);
                }
            });

            EventFd poke = EventFd.create();
            loop.register(poke, Interest.READ, (registration, ready) -> {
                try {
                    poke.read();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                saw(Kind.EVENTFD);
            });

            loop.schedule(Duration.ofMillis(20), () -> saw(Kind.TIMER));
            loop.onSignal(Signal.TERM, () -> {
                saw(Kind.SIGNAL);
                System.out.println("SIGTERM handled on " + Thread.currentThread().getName());
                loop.close();
            });

            AsyncFile asyncFile = AsyncFile.open(loop, file, FileOption.READ, FileOption.WRITE, FileOption.CREATE,
                    FileOption.DIRECT);
            MemorySegment blocks = AlignedBuffers.allocate(arena, 64 * 4096, 4096);
            IoHandler<Void> aio = new IoHandler<>() {
                private int completed;

                @Override
                public void completed(int result, Void ignored) {
                    if (result == 4096 && ++completed == 64) {
                        saw(Kind.AIO);
                    }
                }

                @Override
                public void failed(Throwable error, Void ignored) {
                    error.printStackTrace();
                }
            };
            for (int i = 0; i < 64; i++) {
                asyncFile.write(blocks.asSlice(i * 4096L, 4096), i * 4096L, null, aio);
            }

            // Other threads poke the pipe and the eventfd while the loop waits.
            Thread.ofPlatform().start(() -> {
                try (Arena local = Arena.ofConfined()) {
                    syscalls.write(writeEnd, local.allocateFrom("ping").address(), 4);
                    poke.write(1);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            System.out.println("READY");
            System.out.flush();
            loop.run();
            syscalls.close(readEnd);
            syscalls.close(writeEnd);
            poke.close();
        }
        System.out.println("seen " + seen + (offLoop ? ", some OFF the loop thread" : ", all on the loop thread"));
        System.exit(seen.size() == Kind.values().length && !offLoop ? 0 : 1);
    }

    private static void saw(Kind kind) {
        if (!loop.inLoop()) {
            offLoop = true;
        }
        seen.add(kind);
        System.out.println("dispatched " + kind);
        if (seen.size() == Kind.values().length - 1 && !seen.contains(Kind.SIGNAL)) {
            System.out.println("WAITING-FOR-SIGNAL");
        }
        System.out.flush();
    }
}
