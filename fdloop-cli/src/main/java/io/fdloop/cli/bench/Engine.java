package io.fdloop.cli.bench;

/**
 * Something that runs a {@link Job} and says how fast it went.
 */
public interface Engine {

    String name();

    /** Why this engine cannot run here, or null when it can. */
    default String unavailableBecause() {
        return null;
    }

    Result run(Job job) throws Exception;
}
