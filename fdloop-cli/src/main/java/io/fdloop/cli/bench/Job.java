package io.fdloop.cli.bench;

import java.nio.file.Path;

/**
 * One benchmark job, in fio's terms.
 *
 * @param file      the file or device to use
 * @param rw        read, randread, write or randwrite
 * @param blockSize bytes per request
 * @param queueDepth requests kept outstanding
 * @param direct    O_DIRECT
 * @param size      bytes of the file the offsets range over
 * @param runtimeNs how long to measure
 * @param warmupNs  how long to run before measuring (JVM engines only)
 */
public record Job(Path file, String rw, int blockSize, int queueDepth, boolean direct, long size, long runtimeNs,
                  long warmupNs) {

    public boolean writes() {
        return rw.endsWith("write");
    }

    public boolean random() {
        return rw.startsWith("rand");
    }
}
