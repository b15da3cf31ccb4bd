package io.fdloop.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads fio's JSON output (and, in the tests, bench's own) with Jackson: objects become {@link Map}s
 * in document order, arrays {@link List}s, numbers {@link Double}s.
 *
 * <p><b>Stateless; thread-safe.</b>
 */
public final class JsonParser {
    private JsonParser() {
    }

    /** The value {@code text} holds (leading non-JSON lines, as fio sometimes prints, are skipped). */
    public static Object parse(String text) {
        int object = text.indexOf('{');
        int array = text.indexOf('[');
        int start = object < 0 ? array : array < 0 ? object : Math.min(object, array);
        if (start < 0) {
            throw new IllegalArgumentException("no JSON object or array in: " + abbreviate(text));
        }
        try {
            return plain(Json.MAPPER.readTree(text.substring(start)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON (" + e.getOriginalMessage() + "): " + abbreviate(text), e);
        }
    }

    /** The value at {@code path} (object keys) under {@code root}, or null. */
    public static Object at(Object root, String... path) {
        Object node = root;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node;
    }

    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(field -> map.put(field.getKey(), plain(field.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(element -> list.add(plain(element)));
            return list;
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.isNull() ? null : node.asText();
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
