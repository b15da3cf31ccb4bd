package io.fdloop.cli.bench;

import java.util.List;
import java.util.Locale;

/**
 * One JSON object, written field by field in the order given; numbers that are not finite become
 * {@code null}.
 *
 * <p><b>Not thread-safe</b>: one writer.
 */
public final class JsonObject {
    private final StringBuilder out = new StringBuilder("{");

    public JsonObject string(String name, String value) {
        return raw(name, value == null ? "null" : quote(value));
    }

    public JsonObject number(String name, double value, int decimals) {
        return raw(name, Double.isNaN(value) || Double.isInfinite(value) ? "null"
                : String.format(Locale.ROOT, "%." + decimals + "f", value));
    }

    public JsonObject integer(String name, long value) {
        return raw(name, Long.toString(value));
    }

    public JsonObject bool(String name, boolean value) {
        return raw(name, Boolean.toString(value));
    }

    public JsonObject object(String name, JsonObject value) {
        return raw(name, value.toString());
    }

    public JsonObject strings(String name, List<String> values) {
        StringBuilder array = new StringBuilder("[");
        for (String value : values) {
            if (array.length() > 1) {
                array.append(", ");
            }
            array.append(quote(value));
        }
        return raw(name, array.append(']').toString());
    }

    /** A field whose value is already JSON. */
    public JsonObject raw(String name, String json) {
        if (out.length() > 1) {
            out.append(", ");
        }
        out.append(quote(name)).append(": ").append(json);
        return this;
    }

    @Override
    public String toString() {
        return out + "}";
    }

    /** {@code objects} as one array, an object a line. */
    public static String array(List<JsonObject> objects) {
        if (objects.isEmpty()) {
            return "[]\n";
        }
        StringBuilder out = new StringBuilder("[\n");
        for (int i = 0; i < objects.size(); i++) {
            out.append("  ").append(objects.get(i)).append(i + 1 < objects.size() ? ",\n" : "\n");
        }
        return out.append("]\n").toString();
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
