package io.fdloop.cli.bench;

import io.fdloop.file.FileBackend;

import java.util.ArrayList;
import java.util.List;

/**
 * The engines {@code fdloop bench} knows, by name, in the order it runs them.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class Engines {
    /** Every in-process engine; fio's come with {@code --vs-fio}. */
    public static final List<String> NAMES = List.of("fdloop-aio", "fdloop-uring", "fdloop-threads",
            "jdk-filechannel", "jdk-filechannel-vt", "jdk-async", "artemis");

    private Engines() {
    }

    /** The engine called {@code name}; IllegalArgumentException naming the known ones when there is none. */
    public static Engine create(String name) {
        return switch (name) {
            case "fdloop-aio" -> new FdloopEngine(name, FileBackend.AIO);
            case "fdloop-uring" -> new FdloopEngine(name, FileBackend.URING);
            case "fdloop-threads" -> new FdloopEngine(name, FileBackend.THREADS);
            case "jdk-filechannel" -> new FileChannelEngine(name, false);
            case "jdk-filechannel-vt" -> new FileChannelEngine(name, true);
            case "jdk-async" -> new AsyncChannelEngine();
            case "artemis" -> new ArtemisEngine();
            case "fio-libaio" -> new FioEngine("libaio");
            case "fio-uring" -> new FioEngine("io_uring");
            default -> throw new IllegalArgumentException("unknown engine " + name + "; known: "
                    + String.join(", ", NAMES) + ", fio-libaio, fio-uring");
        };
    }

    /**
     * {@code engines} with fio's two beside fdloop's: fio-libaio right after fdloop-aio and
     * fio-uring right after fdloop-uring (at the end when those are not run), so each pair runs
     * back to back on the same machine state.
     */
    public static List<Engine> withFio(List<Engine> engines) {
        List<Engine> out = new ArrayList<>();
        boolean libaio = false, uring = false;
        for (Engine engine : engines) {
            if (engine.name().startsWith("fio-")) {
                continue;
            }
            out.add(engine);
            if (engine.name().equals("fdloop-aio")) {
                out.add(create("fio-libaio"));
                libaio = true;
            } else if (engine.name().equals("fdloop-uring")) {
                out.add(create("fio-uring"));
                uring = true;
            }
        }
        if (!libaio) {
            out.add(create("fio-libaio"));
        }
        if (!uring) {
            out.add(create("fio-uring"));
        }
        return out;
    }
}
