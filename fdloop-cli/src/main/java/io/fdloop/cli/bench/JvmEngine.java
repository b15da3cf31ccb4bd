package io.fdloop.cli.bench;

/**
 * An engine running inside this JVM. It only keeps the slots busy; {@link Measurement} times it,
 * reads the process's CPU, context switches, threads and allocation around the window, and merges
 * the slots' latencies.
 */
abstract class JvmEngine implements Engine {

    @Override
    public final Result run(Job job, Progress progress) throws Exception {
        return new Measurement(this, job, progress).run();
    }

    /**
     * Starts keeping one request outstanding per slot, each slot going on while
     * {@link Window#keepGoing} says so, recording each counted completion with {@link Slot#record}
     * and calling {@link Window#slotStopped()} when it stops; returns once the requests are going.
     * A failure (an I/O error, a short transfer, a verify mismatch) goes to {@link Window#fail}.
     * If this throws, nothing may be left in flight.
     */
    abstract Execution start(Job job, Window window, Slot[] slots) throws Exception;

    /** A started run (not AutoCloseable: closing joins threads and may be interrupted). */
    interface Execution {
        /** The threads whose allocation is this engine's (fdloop: the loop thread), or null for the whole process. */
        default long[] allocationThreads() {
            return null;
        }

        /** Releases what the run holds; called once every slot stopped. */
        void close() throws Exception;
    }
}
