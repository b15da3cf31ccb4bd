package io.fdloop.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The engines a run asks for by name ({@code --engines a,b}), in the order asked.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class EngineChoice {
    private EngineChoice() {
    }

    /**
     * {@code names} looked up in {@code all}; every engine when {@code names} is null.
     *
     * @param what the option's words for the message, such as {@code "--http"}
     * @throws IllegalArgumentException naming the known engines, for a name that is not one of them
     */
    public static <E> List<E> byName(List<E> all, List<String> names, Function<E, String> name, String what) {
        if (names == null) {
            return all;
        }
        List<E> chosen = new ArrayList<>();
        for (String wanted : names) {
            chosen.add(all.stream().filter(e -> name.apply(e).equals(wanted.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown " + what + " engine " + wanted.trim()
                            + "; known: " + String.join(", ", all.stream().map(name).toList()))));
        }
        return chosen;
    }
}
