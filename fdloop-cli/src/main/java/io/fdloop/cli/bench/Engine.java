package io.fdloop.cli.bench;

/**
 * Something that runs a {@link Job}, keeping its queue depth of requests outstanding, and says how
 * it went.
 *
 * <p><b>Not thread-safe</b>: one run at a time.
 */
public interface Engine {

    String name();

    /** Why this engine cannot run here (with how to fix it when there is a way), or null when it can. */
    default String unavailableBecause() {
        return null;
    }

    Result run(Job job, Progress progress) throws Exception;
}
