package dev.switchboard.transport.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import dev.switchboard.core.protocol.ProtocolCodec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed, strict access to one API method's request object. Like Centrifugo's decoder: unknown
 * fields are ignored, {@code null} reads as absent, a value of the wrong type is a bad request.
 */
final class Params {

    private final ObjectNode node;

    Params(ObjectNode node) {
        this.node = node;
    }

    /** The params of a nested object field, e.g. a batch command's {@code "publish": {...}}. */
    static Params of(JsonNode value, String what) {
        if (value == null || value.isNull()) {
            return new Params(JsonNodeFactory.instance.objectNode());
        }
        if (!value.isObject()) {
            throw new BadRequestException(what + " must be an object");
        }
        return new Params((ObjectNode) value);
    }

    private JsonNode get(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    /** The raw tree value of a field, or {@code null} when absent or {@code null}. */
    JsonNode node(String field) {
        return get(field);
    }

    /** True when a field holds anything but a zero value ({@code null}, {@code ""}, {@code 0}, {@code false}, empty). */
    boolean isSet(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return false;
        }
        if (v.isTextual()) {
            return !v.textValue().isEmpty();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNumber()) {
            return v.doubleValue() != 0;
        }
        if (v.isContainerNode()) {
            return !v.isEmpty();
        }
        return true;
    }

    String string(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return "";
        }
        if (!v.isTextual()) {
            throw new BadRequestException(field + " must be a string");
        }
        return v.textValue();
    }

    String requiredString(String field) {
        String s = string(field);
        if (s.isEmpty()) {
            throw new BadRequestException(field + " required");
        }
        return s;
    }

    boolean bool(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new BadRequestException(field + " must be a boolean");
        }
        return v.booleanValue();
    }

    long longValue(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new BadRequestException(field + " must be an integer");
        }
        return v.longValue();
    }

    int intValue(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new BadRequestException(field + " must be a 32-bit integer");
        }
        return v.intValue();
    }

    /** A nested object field, or {@code null} when absent. */
    Params object(String field) {
        JsonNode v = get(field);
        return v == null ? null : of(v, field);
    }

    List<String> stringList(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new BadRequestException(field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new BadRequestException(field + " must be an array of strings");
            }
            out.add(e.textValue());
        }
        return out;
    }

    Map<String, String> stringMap(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw new BadRequestException(field + " must be an object with string values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new BadRequestException(field + " must be an object with string values");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    /** The verbatim bytes of a {@code data} field (see {@link RequestJson}), or {@code null} when absent. */
    byte[] rawData() {
        JsonNode v = node.get("data");
        if (v == null) {
            return null;
        }
        if (v instanceof POJONode pojo && pojo.getPojo() instanceof RequestJson.Raw raw) {
            return raw.bytes();
        }
        // a tree built elsewhere: re-encode
        return v.isNull() ? null : ProtocolCodec.toBytes(v);
    }

    /** Decoded bytes of a base64 field, or {@code null} when absent or empty. */
    byte[] base64(String field) {
        String s = string(field);
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(field + " is not valid base64");
        }
    }
}
