package dev.switchboard.transport.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.transport.IoTransport;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The kind of value a config key holds: how it is read from the config tree (file or
 * environment, with the same rules) and how its value is written back as YAML (the sample
 * {@code genconfig} writes, the defaults the docs show).
 *
 * <pre>{@code
 * Duration d = KeyType.DURATION.read(section, "ping_interval");   // "25s", 25 or "1m30s"
 * String yaml = KeyType.DURATION.yaml(Duration.ofSeconds(25));    // "25s"
 * }</pre>
 *
 * @param <T> the Java type the builders take
 */
public final class KeyType<T> {

    /** {@code "300ms"}, {@code "25s"}, {@code "1h30m"} or whole seconds. */
    public static final KeyType<Duration> DURATION =
            new KeyType<>("duration", s -> s::durationValue, Durations::format);
    /** A byte count: {@code 65536}, {@code "64KiB"}, {@code "1MiB"}. */
    public static final KeyType<Integer> BYTES = new KeyType<>("size in bytes", s -> s::bytesValue, String::valueOf);
    /** A whole number. */
    public static final KeyType<Integer> INT = new KeyType<>("integer", s -> s::intValue, String::valueOf);
    /** {@code true} or {@code false}. */
    public static final KeyType<Boolean> BOOL = new KeyType<>("boolean", s -> s::boolValue, String::valueOf);
    /** Any scalar; empty means unset. */
    public static final KeyType<String> STRING = new KeyType<>("string", s -> s::textValue, KeyType::quote);
    /** A YAML list, or one comma-separated string (the environment form). */
    public static final KeyType<List<String>> STRINGS = new KeyType<>(
            "list of strings",
            s -> s::stringsValue,
            l -> l.isEmpty()
                    ? "[]"
                    : "[" + String.join(", ", l.stream().map(KeyType::quote).toList()) + "]");
    /**
     * HTTP headers: a mapping of names to values ({@code {X-Secret: abc}}, as Centrifugo v6
     * writes {@code static_headers}), or a list of {@code "Name: value"} strings, or one
     * comma-separated string of them (the environment form); read as {@code "Name: value"} strings.
     */
    public static final KeyType<List<String>> HEADERS =
            new KeyType<>("headers (mapping or list of \"Name: value\")", s -> s::headersValue, STRINGS.writer);
    /** {@code memory} or {@code redis}. */
    public static final KeyType<EngineType> ENGINE =
            new KeyType<>("engine", s -> name -> engine(s, name), EngineType::configName);

    /** {@code auto}, {@code nio}, {@code epoll} or {@code io_uring}. */
    public static final KeyType<IoTransport> IO_TRANSPORT =
            new KeyType<>("io transport", s -> name -> ioTransport(s, name), IoTransport::configName);

    private final String description;
    private final Function<YamlSection, Function<String, T>> reader;
    private final Function<T, String> writer;

    private KeyType(String description, Function<YamlSection, Function<String, T>> reader, Function<T, String> writer) {
        this.description = description;
        this.reader = reader;
        this.writer = writer;
    }

    /** What the value is, for docs: "duration", "size in bytes". */
    public String description() {
        return description;
    }

    /**
     * Reads the present key {@code name} of {@code section}.
     *
     * @throws ConfigException naming the key, for a value of the wrong kind
     */
    T read(YamlSection section, String name) {
        return reader.apply(section).apply(name);
    }

    /**
     * Reads one value given as a config tree node, as the loader would read it at {@code path}.
     *
     * <pre>{@code
     * Duration d = KeyType.DURATION.read("client.ping_interval", TextNode.valueOf("25s"));
     * }</pre>
     *
     * @throws ConfigException naming {@code path}, for a value of the wrong kind
     */
    public T read(String path, JsonNode value) {
        int dot = path.lastIndexOf('.');
        String name = path.substring(dot + 1);
        ObjectNode holder = JsonNodeFactory.instance.objectNode();
        holder.set(name, value);
        return read(new YamlSection(holder, dot < 0 ? "" : path.substring(0, dot)), name);
    }

    /** The value as YAML text; {@code null} (unset) is the empty string {@code ""}. */
    public String yaml(T value) {
        return value == null ? "\"\"" : writer.apply(value);
    }

    private static EngineType engine(YamlSection s, String name) {
        try {
            return EngineType.fromConfigName(s.textValue(name));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(s.key(name), e.getMessage());
        }
    }

    private static IoTransport ioTransport(YamlSection s, String name) {
        try {
            return IoTransport.fromConfigName(s.textValue(name));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(s.key(name), e.getMessage());
        }
    }

    /** Double quotes, or single quotes when YAML's double-quoted escapes would change the text (a regex). */
    private static String quote(String s) {
        return s.contains("\\") || s.contains("\"") ? "'" + s.replace("'", "''") + "'" : "\"" + s + "\"";
    }
}
