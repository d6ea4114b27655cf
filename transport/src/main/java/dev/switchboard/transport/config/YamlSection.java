package dev.switchboard.transport.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One mapping of the config tree with its key path, reading typed values and reporting errors
 * that name the full path ({@code channel.namespaces[1].history_size}). A key whose value is
 * YAML {@code null} (written {@code key:} with nothing after it) counts as absent.
 *
 * <p>Scalars may also be strings ({@code port: "8000"}), because environment overrides are
 * placed into the tree as strings and must obey the same rules.
 */
final class YamlSection {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(KiB|MiB|GiB)?");

    private final ObjectNode node;
    private final String path;

    YamlSection(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The full path of a key in this section. */
    String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    String path() {
        return path;
    }

    /** @throws ConfigException {@code <path>.<key>: unknown key} for the first key not in {@code allowed} */
    void allowOnly(Set<String> allowed) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new ConfigException(key(name), "unknown key");
            }
        }
    }

    boolean has(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    /** A scalar as text; never the value in an error, it may be a secret. */
    String textValue(String name) {
        return scalarText(name);
    }

    boolean boolValue(String name) {
        JsonNode v = node.get(name);
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        String s = v.isTextual() ? v.textValue().trim().toLowerCase(Locale.ROOT) : "";
        if (s.equals("true") || s.equals("false")) {
            return s.equals("true");
        }
        throw new ConfigException(key(name), "must be true or false, got " + show(v));
    }

    int intValue(String name) {
        JsonNode v = node.get(name);
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.intValue();
        }
        if (v.isTextual()) {
            try {
                return Integer.parseInt(v.textValue().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new ConfigException(
                key(name), "must be a whole number" + (v.isIntegralNumber() ? " below 2^31" : "") + ", got " + show(v));
    }

    /** A byte count: a whole number, or one with a {@code KiB}/{@code MiB}/{@code GiB} suffix. */
    int bytesValue(String name) {
        JsonNode v = node.get(name);
        if (v.isNumber()) {
            return intValue(name);
        }
        Matcher m = v.isTextual() ? SIZE.matcher(v.textValue().trim()) : null;
        if (m == null || !m.matches()) {
            if (v.isTextual() && v.textValue().trim().startsWith("-")) {
                return intValue(name); // a negative number: let the setter say it must be >= 0
            }
            throw new ConfigException(
                    key(name), "must be a size in bytes like 65536, \"64KiB\" or \"1MiB\", got " + show(v));
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        long factor = switch (unit) {
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            default -> 1L;
        };
        if (n > Integer.MAX_VALUE / factor) {
            throw new ConfigException(key(name), "must be at most 2GiB, got " + show(v));
        }
        return (int) (n * factor);
    }

    Duration durationValue(String name) {
        JsonNode v = node.get(name);
        if (v.isIntegralNumber()) {
            if (v.longValue() < 0) {
                throw new ConfigException(key(name), "must not be negative, got " + v.longValue());
            }
            return Duration.ofSeconds(v.longValue());
        }
        if (v.isTextual()) {
            try {
                return Durations.parse(v.textValue());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key(name), e.getMessage());
            }
        }
        throw new ConfigException(
                key(name), "must be a duration like \"25s\" or a whole number of seconds, got " + show(v));
    }

    /** A list of strings, or one comma-separated string (the environment form). */
    List<String> stringsValue(String name) {
        JsonNode v = node.get(name);
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            for (String part : v.textValue().split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        } else if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                JsonNode item = v.get(i);
                if (!item.isValueNode() || item.isNull()) {
                    throw new ConfigException(key(name) + "[" + i + "]", "must be a string");
                }
                out.add(item.asText());
            }
        } else {
            throw new ConfigException(key(name), "must be a list of strings");
        }
        return out;
    }

    /**
     * HTTP headers as {@code "Name: value"} strings: a mapping of names to values (Centrifugo
     * v6's form of {@code static_headers}), or a list, or a comma-separated string of
     * {@code "Name: value"} (the environment form).
     */
    List<String> headersValue(String name) {
        JsonNode v = node.get(name);
        if (!v.isObject()) {
            return stringsValue(name);
        }
        List<String> out = new ArrayList<>();
        for (var it = v.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new ConfigException(key(name) + "." + e.getKey(), "must be a string");
            }
            out.add(e.getKey() + ": " + e.getValue().asText());
        }
        return out;
    }

    /** A nested mapping, or {@code null} when absent. */
    YamlSection section(String name) {
        if (!has(name)) {
            return null;
        }
        JsonNode v = node.get(name);
        if (!v.isObject()) {
            throw new ConfigException(key(name), "must be a mapping of keys, got " + kind(v));
        }
        return new YamlSection((ObjectNode) v, key(name));
    }

    /**
     * The mapping at a dotted path below this one ({@code proxy.connect}), or {@code null} when
     * any part of it is absent.
     *
     * @throws ConfigException when a part is present but not a mapping
     */
    YamlSection at(String dottedPath) {
        YamlSection s = this;
        for (String part : dottedPath.split("\\.")) {
            s = s.section(part);
            if (s == null) {
                return null;
            }
        }
        return s;
    }

    /** A list of mappings, empty when absent. */
    List<YamlSection> sections(String name) {
        List<YamlSection> out = new ArrayList<>();
        if (!has(name)) {
            return out;
        }
        JsonNode v = node.get(name);
        if (!v.isArray()) {
            throw new ConfigException(key(name), "must be a list, got " + kind(v));
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String itemKey = key(name) + "[" + i + "]";
            if (!item.isObject()) {
                throw new ConfigException(itemKey, "must be a mapping of keys, got " + kind(item));
            }
            out.add(new YamlSection((ObjectNode) item, itemKey));
        }
        return out;
    }

    private String scalarText(String name) {
        JsonNode v = node.get(name);
        if (!v.isValueNode()) {
            // No value in the message: this may be a secret.
            throw new ConfigException(key(name), "must be a string, got " + kind(v));
        }
        return v.asText();
    }

    private static String show(JsonNode v) {
        return v.isTextual() ? "\"" + v.textValue() + "\"" : v.isValueNode() ? v.asText() : kind(v);
    }

    private static String kind(JsonNode v) {
        return v.isObject()
                ? "a mapping"
                : v.isArray() ? "a list" : "a " + v.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
