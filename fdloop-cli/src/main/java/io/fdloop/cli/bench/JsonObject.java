package io.fdloop.cli.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * One JSON object, written field by field in the order given (a Jackson tree underneath); numbers
 * that are not finite become {@code null}.
 *
 * <p><b>Not thread-safe</b>: one writer.
 */
public final class JsonObject {
    private final ObjectNode node = Json.MAPPER.createObjectNode();

    public JsonObject string(String name, String value) {
        node.put(name, value);
        return this;
    }

    /** {@code value} rounded to {@code decimals} places. */
    public JsonObject number(String name, double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(name);
        } else {
            node.put(name, BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP));
        }
        return this;
    }

    public JsonObject integer(String name, long value) {
        node.put(name, value);
        return this;
    }

    public JsonObject bool(String name, boolean value) {
        node.put(name, value);
        return this;
    }

    public JsonObject object(String name, JsonObject value) {
        node.set(name, value.node);
        return this;
    }

    public JsonObject strings(String name, List<String> values) {
        ArrayNode array = node.putArray(name);
        values.forEach(array::add);
        return this;
    }

    public JsonObject objects(String name, List<JsonObject> values) {
        ArrayNode array = node.putArray(name);
        values.forEach(value -> array.add(value.node));
        return this;
    }

    /** The tree, for {@link Json#pretty}. */
    public ObjectNode node() {
        return node;
    }

    @Override
    public String toString() {
        return node.toString();
    }

    /** {@code objects} as one indented array. */
    public static String array(List<JsonObject> objects) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        objects.forEach(object -> array.add(object.node));
        return Json.pretty(array) + "\n";
    }
}
