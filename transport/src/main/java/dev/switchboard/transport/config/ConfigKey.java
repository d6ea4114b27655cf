package dev.switchboard.transport.config;

import dev.switchboard.core.InvalidOptionException;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * One configuration key, written once in {@link ConfigKeys}: its YAML path, environment
 * variable, kind of value, default, one-line doc and the builder setter it binds. A core option
 * binds straight to the core's builder, which checks it, and carries the core's name for it.
 *
 * <pre>{@code
 * ConfigKey<NodeOptions.Builder, Duration> ping = ConfigKey.of("client.ping_interval", KeyType.DURATION,
 *         NodeOptions.DEFAULT_PING_INTERVAL, NodeOptions.Builder::pingInterval, "How often the server pings each client.")
 *     .core("ping_interval");
 * ping.env();  // "SWITCHBOARD_CLIENT_PING_INTERVAL"
 * }</pre>
 *
 * @param <B> the builder the key's value is set on
 * @param <T> the value's Java type
 */
public final class ConfigKey<B, T> {

    private final String path;
    private final KeyType<T> type;
    private final T defaultValue;
    private final String unsetText;
    private final String doc;
    private final BiConsumer<B, T> setter;
    private final String coreOption;

    private ConfigKey(
            String path,
            KeyType<T> type,
            T defaultValue,
            String unsetText,
            String doc,
            BiConsumer<B, T> setter,
            String coreOption) {
        this.path = path;
        this.type = type;
        this.defaultValue = defaultValue;
        this.unsetText = unsetText;
        this.doc = doc;
        this.setter = setter;
        this.coreOption = coreOption;
    }

    /**
     * A key.
     *
     * @param path dotted YAML path, any depth ({@code port}, {@code client.ping_interval},
     *     {@code client.proxy.connect.endpoint});
     *     channel options are relative to their section ({@code history_size})
     * @param defaultValue the default, a named constant of the core or the section class
     * @param setter the builder setter the value goes to; it checks the value
     * @param doc one line, as written above the key in the sample config
     */
    public static <B, T> ConfigKey<B, T> of(
            String path, KeyType<T> type, T defaultValue, BiConsumer<B, T> setter, String doc) {
        return new ConfigKey<>(path, type, defaultValue, null, doc, setter, null);
    }

    /** The same key with the text the docs show as its default when unset ({@code "host name"}). */
    public ConfigKey<B, T> unset(String text) {
        return new ConfigKey<>(path, type, defaultValue, text, doc, setter, coreOption);
    }

    /**
     * The same key, marked as the core option the core calls {@code option}, so that a core check
     * across options ({@code pong_timeout} against {@code ping_interval}) names this key.
     *
     * @param option the core's name of the option, as in its {@link InvalidOptionException}s
     */
    public ConfigKey<B, T> core(String option) {
        return new ConfigKey<>(path, type, defaultValue, unsetText, doc, setter, option);
    }

    /** The same key one section down: the channel options as written directly under {@code channel}. */
    ConfigKey<B, T> under(String section) {
        return new ConfigKey<>(section + "." + path, type, defaultValue, unsetText, doc, setter, coreOption);
    }

    /** Dotted path: {@code client.ping_interval}. */
    public String path() {
        return path;
    }

    /** The section holding the key ({@code client}), or {@code ""} for a top-level key. */
    public String section() {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }

    /** The key's name within its section: {@code ping_interval}. */
    public String name() {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    /** {@code SWITCHBOARD_} and the path upper-cased, dots as underscores: {@code SWITCHBOARD_CLIENT_PING_INTERVAL}. */
    public String env() {
        return ConfigKeys.ENV_PREFIX + path.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    public KeyType<T> type() {
        return type;
    }

    /** The default, or {@code null} when unset by default. */
    public T defaultValue() {
        return defaultValue;
    }

    /** What the docs show as the default of a key unset by default ({@code "unset"}, {@code "host name"}). */
    public String unsetText() {
        return unsetText == null ? "unset" : unsetText;
    }

    /** The one-line doc. */
    public String doc() {
        return doc;
    }

    /** The core option name, or {@code null} when the key is not a core option. */
    public String coreOption() {
        return coreOption;
    }

    /** The default as YAML. */
    public String defaultYaml() {
        return type.yaml(defaultValue);
    }

    /**
     * Sets the value of this key, when {@code section} holds one, on {@code builder}.
     *
     * @throws ConfigException naming the key, for a value of the wrong kind or one the builder refuses
     */
    void bind(YamlSection section, B builder) {
        if (section != null && section.has(name())) {
            T value = type.read(section, name());
            try {
                setter.accept(builder, value);
            } catch (InvalidOptionException e) {
                // The core names options its own way; the user wrote this key.
                throw new ConfigException(section.key(name()), e.problem(), e);
            }
        }
    }

    @Override
    public String toString() {
        return path;
    }
}
