package io.fdloop.cli.bench;

import java.util.Map;
import java.util.Set;

/**
 * Which commands this build of {@code fdloop} has, and their options: fdloop's own servers are
 * bench engines once their commands exist ({@code echo-server} for {@code --net echo},
 * {@code serve} for {@code --http}), and are skipped with that reason until then.
 *
 * <p><b>Immutable; thread-safe.</b>
 *
 * @param options each command's option names, by command name
 */
public record FdloopCommands(Map<String, Set<String>> options) {
    public FdloopCommands {
        options = Map.copyOf(options);
    }

    /**
     * Why {@code fdloop command} with {@code requiredOptions} cannot run in this build, or null
     * when it can.
     */
    public String missing(String command, String issue, String... requiredOptions) {
        Set<String> known = options.get(command);
        if (known == null) {
            return "not yet available: this build has no `fdloop " + command + "` command (" + issue + ")";
        }
        for (String option : requiredOptions) {
            if (!known.contains(option)) {
                return "not yet available: `fdloop " + command + "` has no " + option + " option (" + issue + ")";
            }
        }
        return null;
    }
}
