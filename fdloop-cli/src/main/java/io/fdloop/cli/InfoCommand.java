package io.fdloop.cli;

import io.fdloop.file.FileBackend;
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
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"kernel\": ").append(quote(kernel())).append(",\n");
        json.append("  \"arch\": ").append(quote(System.getProperty("os.arch"))).append(",\n");
        json.append("  \"jdk\": ").append(quote(System.getProperty("java.version"))).append(",\n");
        json.append("  \"backends\": {");
        for (int i = 0; i < BACKENDS.size(); i++) {
            FileBackend backend = BACKENDS.get(i);
            json.append(i == 0 ? "\n" : ",\n").append("    ").append(quote(name(backend)))
                    .append(": {\"available\": ").append(backend.isAvailable())
                    .append(", \"cause\": ").append(quote(backend.unavailabilityCause())).append("}");
        }
        json.append("\n  },\n");
        json.append("  \"sockets\": {");
        for (int i = 0; i < MECHANISMS.size(); i++) {
            NetMechanism mechanism = MECHANISMS.get(i);
            json.append(i == 0 ? "\n" : ",\n").append("    ").append(quote(name(mechanism)))
                    .append(": {\"available\": ").append(mechanism.isAvailable())
                    .append(", \"cause\": ").append(quote(mechanism.unavailabilityCause())).append("}");
        }
        json.append("\n  },\n");
        json.append("  \"aio_nr\": ").append(number(sysctl("fs/aio-nr"))).append(",\n");
        json.append("  \"aio_max_nr\": ").append(number(sysctl("fs/aio-max-nr"))).append(",\n");
        json.append("  \"io_uring_disabled\": ").append(number(sysctl("kernel/io_uring_disabled"))).append(",\n");
        json.append("  \"path\": {\"path\": ").append(quote(target.toString()))
                .append(", \"fs_type\": ").append(quote(direct.fileSystemType()))
                .append(", \"o_direct\": ").append(direct.supported());
        if (direct.supported()) {
            json.append(", \"dio_mem_align\": ").append(direct.alignment().memory())
                    .append(", \"dio_offset_align\": ").append(direct.alignment().offset())
                    .append(", \"logical_block_size\": ").append(direct.alignment().logicalBlockSize())
                    .append(", \"alignment_source\": ").append(quote(direct.alignment().source()));
        } else {
            json.append(", \"o_direct_cause\": ").append(quote(direct.reason()));
        }
        json.append("},\n");
        json.append("  \"auto\": {\"direct\": ").append(quote(name(FileBackend.autoFor(true))))
                .append(", \"buffered\": ").append(quote(name(FileBackend.autoFor(false))))
                .append(", \"sockets\": ").append(quote(name(NetMechanism.AUTO.resolve()))).append("}\n}");
        return json.toString();
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

    private static String number(String value) {
        return value == null || !value.matches("-?[0-9]+") ? "null" : value;
    }

    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
