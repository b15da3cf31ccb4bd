package io.fdloop.cli.bench;

import com.sun.nio.file.ExtendedOpenOption;

import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * How the JDK engines open the job's file: read and/or write, and O_DIRECT through
 * {@link ExtendedOpenOption#DIRECT}, the JDK's only way to it (javac calls it proprietary API and
 * warns; it is exported by jdk.unsupported for exactly this use).
 */
final class JdkOptions {
    private JdkOptions() {
    }

    static OpenOption[] of(Job job) {
        List<OpenOption> options = new ArrayList<>();
        if (job.rw().reads()) {
            options.add(StandardOpenOption.READ);
        }
        if (job.rw().writes()) {
            options.add(StandardOpenOption.WRITE);
        }
        if (job.direct()) {
            options.add(ExtendedOpenOption.DIRECT);
        }
        return options.toArray(OpenOption[]::new);
    }
}
