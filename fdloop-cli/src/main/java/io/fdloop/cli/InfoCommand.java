package io.fdloop.cli;

import io.fdloop.file.FileBackend;
import io.fdloop.cli.bench.Json;
import io.fdloop.cli.bench.JsonObject;
import io.fdloop.file.DirectIoSupport;
import io.fdloop.net.NetMechanism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code fdloop info}: what this host lets fdloop use, and why not where it does not.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the kernel, the file backends and socket mechanisms available here (and why not), AIO and "
                + "io_uring limits, and what direct I/O needs on a file system.")
final class InfoCommand implements Callable<Integer> {
    private static final List<FileBackend> BACKENDS =
            List.of(FileBackend.AIO, FileBackend.URING, FileBackend.THREADS);
    private static final List<NetMechanism> MECHANISMS = List.of(NetMechanism.EPOLL, NetMechanism.URING);

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
            description = "A directory or file whose file system to examine (default: the working directory).")
    Path path;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Path target = (path != null ? path : Path.of("")).toAbsolutePath();
        if (!Files.exists(target)) {
            System.err.println("info: " + target + " does not exist");
            return 2;
        }
        DirectIoSupport direct = DirectIoSupport.probe(target);
        if (json) {
            System.out.println(toJson(target, direct));
        } else {
            print(System.out, target, direct);
        }
        return 0;
    }

    private static void print(PrintStream out, Path target, DirectIoSupport direct) {
        out.printf("kernel     Linux %s, %s%n", kernel(), System.getProperty("os.arch"));
        out.printf("jdk        %s (%s)%n", System.getProperty("java.version"), System.getProperty("java.vm.name"));
        out.println("backends");
        for (FileBackend backend : BACKENDS) {
            out.printf("  %-8s %s%n", name(backend),
                    backend.isAvailable() ? "available" : "unavailable: " + backend.unavailabilityCause());
        }
        out.println("sockets");
        for (NetMechanism mechanism : MECHANISMS) {
            out.printf("  %-8s %s%n", name(mechanism),
                    mechanism.isAvailable() ? "available" : "unavailable: " + mechanism.unavailabilityCause());
        }
        out.printf("limits     fs.aio-nr %s of fs.aio-max-nr %s; kernel.io_uring_disabled %s%n",
                sysctl("fs/aio-nr"), sysctl("fs/aio-max-nr"), sysctl("kernel/io_uring_disabled"));
        out.printf("path       %s (%s)%n", target, direct.fileSystemType());
        if (direct.supported()) {
            out.printf("  O_DIRECT works: buffers aligned to %d bytes, offsets and lengths to %d (from %s); "
                            + "logical block size %s%n", direct.alignment().memory(), direct.alignment().offset(),
                    direct.alignment().source(), direct.alignment().logicalBlockSize() == 0 ? "unknown"
                            : direct.alignment().logicalBlockSize() + " bytes");
        } else {
            out.printf("  O_DIRECT does not work here: %s%n", direct.reason());
        }
        out.printf("auto       direct files: %s; buffered files: %s; sockets: %s%n", name(FileBackend.autoFor(true)),
                name(FileBackend.autoFor(false)), name(NetMechanism.AUTO.resolve()));
    }

    private static String toJson(Path target, DirectIoSupport direct) {
        JsonObject backends = new JsonObject();
        for (FileBackend backend : BACKENDS) {
            backends.object(name(backend), new JsonObject().bool("available", backend.isAvailable())
                    .string("cause", backend.unavailabilityCause()));
        }
        JsonObject sockets = new JsonObject();
        for (NetMechanism mechanism : MECHANISMS) {
            sockets.object(name(mechanism), new JsonObject().bool("available", mechanism.isAvailable())
                    .string("cause", mechanism.unavailabilityCause()));
        }
        JsonObject file = new JsonObject().string("path", target.toString())
                .string("fs_type", direct.fileSystemType())
                .bool("o_direct", direct.supported());
        if (direct.supported()) {
            file.integer("dio_mem_align", direct.alignment().memory())
                    .integer("dio_offset_align", direct.alignment().offset())
                    .integer("logical_block_size", direct.alignment().logicalBlockSize())
                    .string("alignment_source", direct.alignment().source());
        } else {
            file.string("o_direct_cause", direct.reason());
        }
        JsonObject info = new JsonObject()
                .string("kernel", kernel())
                .string("arch", System.getProperty("os.arch"))
                .string("jdk", System.getProperty("java.version"))
                .object("backends", backends)
                .object("sockets", sockets);
        number(info, "aio_nr", sysctl("fs/aio-nr"));
        number(info, "aio_max_nr", sysctl("fs/aio-max-nr"));
        number(info, "io_uring_disabled", sysctl("kernel/io_uring_disabled"));
        return Json.pretty(info.object("path", file)
                .object("auto", new JsonObject().string("direct", name(FileBackend.autoFor(true)))
                        .string("buffered", name(FileBackend.autoFor(false)))
                        .string("sockets", name(NetMechanism.AUTO.resolve()))).node());
    }

    private static String name(FileBackend backend) {
        return backend.name().toLowerCase(Locale.ROOT);
    }

    private static String name(NetMechanism mechanism) {
        return mechanism.name().toLowerCase(Locale.ROOT);
    }

    private static String kernel() {
        String release = sysctl("kernel/osrelease");
        return release != null ? release : System.getProperty("os.version");
    }

    /** A value from /proc/sys, or null when this kernel has no such setting. */
    private static String sysctl(String name) {
        // One read with a large buffer: procfs files report size 0 and may not serve a read that
        // starts past their first byte.
        try (java.io.BufferedReader reader = Files.newBufferedReader(Path.of("/proc/sys", name))) {
            String line = reader.readLine();
            return line == null ? null : line.trim();
        } catch (IOException e) {
            return null;
        }
    }

    /** A sysctl's integer value as a number field, or null when the kernel has no such setting. */
    private static void number(JsonObject object, String name, String value) {
        if (value != null && value.matches("-?[0-9]+")) {
            object.integer(name, Long.parseLong(value));
        } else {
            object.string(name, null);
        }
    }
}
