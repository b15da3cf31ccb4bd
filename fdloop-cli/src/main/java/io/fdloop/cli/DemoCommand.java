package io.fdloop.cli;

import io.fdloop.EventFd;
import io.fdloop.EventLoop;
import io.fdloop.file.FileBackend;
import io.fdloop.file.FileSettings;
import io.fdloop.Interest;
import io.fdloop.LoopObserver;
import io.fdloop.Registration;
import io.fdloop.Timer;
import io.fdloop.file.AlignedBuffers;
import io.fdloop.file.AsyncFile;
import io.fdloop.file.FileOption;
import io.fdloop.file.IoHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The Java counterpart of the kernel patch's {@code eventfd-aio-test.c}: N 4 KiB writes, then N
 * reads of the same blocks, each batch sent in one {@code io_submit} whose iocbs carry
 * {@code IOCB_FLAG_RESFD}; a 100 ms timer and a user eventfd poked from another thread wake the
 * same {@code epoll_wait}. One line per wake-up.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Linux AIO completions, a timer and a user eventfd, all waking one epoll loop.")
final class DemoCommand implements Callable<Integer> {
    private static final int BLOCK = 4096;

    @Option(names = "--file", paramLabel = "PATH",
            description = "File to write and read (created, and truncated). Default: a temporary file in the working directory, deleted afterwards.")
    Path file;

    @Option(names = "--count", paramLabel = "N", defaultValue = "5200",
            description = "Number of 4 KiB blocks to write and read back (default: ${DEFAULT-VALUE}, as the original).")
    int count;

    @Option(names = "--direct", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Open with O_DIRECT, so Linux AIO is truly asynchronous (default). --no-direct uses the page cache.")
    boolean direct;

    @Option(names = "--backend", defaultValue = "aio", paramLabel = "aio|uring|threads|auto",
            description = "File backend: aio (Linux AIO + eventfd, the default), uring (io_uring + registered eventfd), "
                    + "threads, or auto (what fdloop would pick).")
    String backend;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        if (count < 1 || count > 1 << 20) {
            System.err.println("demo: --count must be 1 to 1048576, was " + count);
            return 2;
        }
        Path path = file;
        if (path == null) {
            Path here = Path.of("").toAbsolutePath();
            try {
                path = Files.createTempFile(here, "fdloop-demo-", ".dat");
            } catch (IOException e) {
                System.err.println("demo: cannot create a scratch file in " + here + " (" + Errors.reason(e)
                        + "); name one on a writable file system with --file PATH");
                return 1;
            }
        }
        boolean temporary = file == null;
        try {
            return run(path);
        } catch (IOException e) {
            System.err.println("demo: " + e.getMessage());
            return 1;
        } finally {
            if (temporary) {
                Files.deleteIfExists(path);
            }
        }
    }

    private int run(Path path) throws IOException, InterruptedException {
        Trace trace = new Trace();
        FileBackend choice;
        try {
            choice = FileBackend.valueOf(backend.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("demo: --backend must be aio, uring, threads or auto, was " + backend);
            return 2;
        }
        if (choice == FileBackend.AIO && !direct) {
            System.err.println("demo: Linux AIO runs buffered I/O synchronously inside io_submit: use --direct with "
                    + "--backend aio, or another backend");
            return 2;
        }
        try (EventLoop loop = EventLoop.builder().name("demo").observer(trace)
                .with(FileSettings.defaults().withBackend(choice).withQueueDepth(Math.min(count, 65536))).build()) {
            Set<FileOption> options = EnumSet.of(FileOption.READ, FileOption.WRITE, FileOption.CREATE, FileOption.TRUNCATE);
            if (direct) {
                options.add(FileOption.DIRECT);
            }
            AsyncFile asyncFile = AsyncFile.open(loop, path, options);
            asyncFile.allocate(0, (long) count * BLOCK);
            out.printf("demo: %s, %d x 4 KiB, %s, backend %s%s%n", path, count, direct ? "O_DIRECT" : "buffered",
                    asyncFile.backend().name().toLowerCase(java.util.Locale.ROOT), direct ? ", alignment " + asyncFile.directAlignment().memory() + "/"
                            + asyncFile.directAlignment().offset() + " from " + asyncFile.directAlignment().source() : "");

            Demo demo = new Demo(loop, asyncFile, trace);
            demo.start();
            while (!demo.finished()) {
                loop.runOnce(Duration.ofSeconds(5));
            }
            demo.stop();
            asyncFile.close();
            if (demo.failure != null) {
                out.println("demo: FAILED: " + demo.failure);
                return 1;
            }
            out.printf("demo: %d wake-ups: %d %s, %d timer, %d user eventfd%n", trace.wakeups,
                    trace.aio + trace.uring + trace.threads, asyncFile.backend().name().toLowerCase(java.util.Locale.ROOT), trace.timer, demo.pokes);
            out.printf("demo: %d writes, %d reads completed via eventfd+epoll; data verified%n", count, count);
            return 0;
        }
    }

    /** Prints one line per wake-up of the loop's own sources. */
    private final class Trace implements LoopObserver {
        int wakeups;
        int aio;
        int threads;
        int uring;
        int timer;
        Demo demo;

        @Override
        public void submitted(String backend, int requests) {
            out.printf("          submit  %-7s %5d requests in one %s%n", backend, requests, switch (backend) {
                case "aio" -> "io_submit (IOCB_FLAG_RESFD)";
                case "uring" -> "io_uring_enter (eventfd registered)";
                default -> "hand-off to the file threads";
            });
        }

        @Override
        public void woke(String source, long counter, int handled) {
            wakeups++;
            switch (source) {
                case "aio" -> aio++;
                case "threads" -> threads++;
                case "uring" -> uring++;
                case "timer" -> timer++;
                default -> { }
            }
            String what = switch (source) {
                case "aio", "uring", "threads" -> String.format("eventfd read %5d, reaped %5d completions (%s)", counter, handled,
                        demo == null ? "" : demo.progress());
                case "timer" -> String.format("timerfd read %5d, ran %d timer(s)", counter, handled);
                default -> String.format("read %d, handled %d", counter, handled);
            };
            out.printf("wake %4d %-7s %s%n", wakeups, source, what);
        }
    }

    private enum Phase { IDLE, WRITING, SYNCING, SYNCED, READING }

    /** The state of the run: writes, fdatasync, then reads, checked block by block. */
    private final class Demo implements IoHandler<Integer> {
        private final EventLoop loop;
        private final AsyncFile file;
        private final MemorySegment buffers;
        private final Trace trace;
        private EventFd userEvent;
        private Registration userRegistration;
        private Timer ticker;
        private Thread poker;
        private volatile boolean stopPoking;
        private int ticks;
        int pokes;
        private int writesDone;
        private int readsDone;
        private boolean reading;
        private Phase phase = Phase.IDLE;
        String failure;

        Demo(EventLoop loop, AsyncFile file, Trace trace) {
            this.loop = loop;
            this.file = file;
            this.buffers = AlignedBuffers.allocate((long) count * BLOCK, BLOCK);
            this.trace = trace;
            trace.demo = this;
        }

        void start() throws IOException {
            userEvent = EventFd.create();
            userRegistration = loop.register(userEvent, Interest.READ, (registration, ready) -> {
                try {
                    long value = userEvent.read();
                    pokes++;
                    trace.wakeups++;
                    out.printf("wake %4d %-7s user EventFd read %d (poked from thread %s)%n", trace.wakeups,
                            "eventfd", value, poker.getName());
                } catch (IOException e) {
                    fail("user eventfd: " + e.getMessage());
                }
            });
            ticker = loop.scheduleAtFixedRate(Duration.ofMillis(100), Duration.ofMillis(100), this::tick);
            poker = Thread.ofPlatform().name("demo-poker").daemon(true).start(() -> {
                while (!stopPoking) {
                    try {
                        userEvent.write(1);
                        Thread.sleep(30);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
        }

        /** The timer paces the phases: writes start on a tick, reads on the first tick after the sync. */
        private void tick() {
            ticks++;
            if (phase == Phase.IDLE) {
                startWrites();
            } else if (phase == Phase.SYNCED) {
                startReads();
            }
        }

        private void startWrites() {
            phase = Phase.WRITING;
            out.printf("          tick %d: writing %d blocks%n", ticks, count);
            for (int block = 0; block < count; block++) {
                MemorySegment buffer = block(block);
                for (long word = 0; word < BLOCK / 8; word++) {
                    buffer.setAtIndex(JAVA_LONG, word, pattern(block, word));
                }
                file.write(buffer, (long) block * BLOCK, block, this);
            }
        }

        private void sync() {
            phase = Phase.SYNCING;
            file.fdatasync(-1, new IoHandler<Integer>() {
                @Override
                public void completed(int result, Integer ignored) {
                    phase = Phase.SYNCED;
                    out.println("          fdatasync completed (IOCB_CMD_FDSYNC); reads start on the next tick");
                }

                @Override
                public void failed(Throwable error, Integer ignored) {
                    fail("fdatasync failed: " + error);
                }
            });
        }

        private MemorySegment block(int block) {
            return buffers.asSlice((long) block * BLOCK, BLOCK);
        }

        private static long pattern(int block, long word) {
            return ((long) block << 32) ^ (word * 0x9E3779B97F4A7C15L) ^ 0x6664_6c6f_6f70L;
        }

        @Override
        public void completed(int result, Integer block) {
            if (result != BLOCK) {
                fail((reading ? "read" : "write") + " of block " + block + " transferred " + result + " bytes, not " + BLOCK);
                return;
            }
            if (!reading) {
                if (++writesDone == count) {
                    sync();
                }
                return;
            }
            MemorySegment buffer = block(block);
            for (long word = 0; word < BLOCK / 8; word++) {
                if (buffer.getAtIndex(JAVA_LONG, word) != pattern(block, word)) {
                    fail("block " + block + " read back differs at byte " + word * 8);
                    return;
                }
            }
            readsDone++;
        }

        private void startReads() {
            reading = true;
            phase = Phase.READING;
            out.printf("          tick %d: reading %d blocks back%n", ticks, count);
            buffers.fill((byte) 0);
            for (int block = 0; block < count; block++) {
                file.read(block(block), (long) block * BLOCK, block, this);
            }
        }

        @Override
        public void failed(Throwable error, Integer block) {
            fail((reading ? "read" : "write") + " of block " + block + " failed: " + error);
        }

        private void fail(String why) {
            if (failure == null) {
                failure = why;
            }
        }

        boolean finished() {
            return failure != null || readsDone == count;
        }


        String progress() {
            return reading ? "reads " + readsDone + "/" + count : "writes " + writesDone + "/" + count;
        }

        void stop() throws InterruptedException {
            stopPoking = true;
            poker.join();
            ticker.cancel();
            userRegistration.cancel();
            userEvent.close();
            out.printf("demo: the 100 ms timer ticked %d time(s) meanwhile%n", ticks);
        }
    }
}
