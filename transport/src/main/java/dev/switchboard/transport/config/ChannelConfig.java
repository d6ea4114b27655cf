package dev.switchboard.transport.config;

import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.channel.ChannelRules;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Channel naming rules and namespaces: the {@code channel} section.
 *
 * <p>Options written directly under {@code channel} apply to channels without a namespace
 * ({@code news}); each entry of {@code channel.namespaces} applies to channels named
 * {@code <name>:...}. A channel whose namespace is not listed is refused.
 *
 * <pre>{@code
 * ChannelConfig channel = ChannelConfig.builder()
 *     .namespace("chat", ChannelOptions.builder().historySize(100).historyTtl(Duration.ofMinutes(5)).build())
 *     .build();
 * ChannelRules rules = channel.toChannelRules();
 * }</pre>
 */
public final class ChannelConfig {

    /** Default {@code channel.max_length}: longer channel names are refused. */
    public static final int DEFAULT_MAX_LENGTH = ChannelRules.DEFAULT_MAX_CHANNEL_LENGTH;
    /** Default {@code channel.pattern}: a regular expression every channel name must match in full. */
    public static final String DEFAULT_PATTERN = ChannelRules.DEFAULT_CHANNEL_PATTERN;

    private static final ChannelConfig DEFAULTS = builder().build();

    private final int maxLength;
    private final String pattern;
    private final ChannelOptions defaultOptions;
    private final Map<String, ChannelOptions> namespaces;

    private ChannelConfig(Builder b) {
        maxLength = b.maxLength;
        pattern = b.pattern;
        defaultOptions = b.defaultOptions;
        namespaces = Collections.unmodifiableMap(new LinkedHashMap<>(b.namespaces));
    }

    /** Every default: no namespaces, default options of {@link ChannelOptions#defaults()}. */
    public static ChannelConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@code channel.max_length}. */
    public int maxLength() {
        return maxLength;
    }

    /** {@code channel.pattern}. */
    public String pattern() {
        return pattern;
    }

    /** Options of channels without a namespace: the option keys directly under {@code channel}. */
    public ChannelOptions defaultOptions() {
        return defaultOptions;
    }

    /** {@code channel.namespaces}, by name, in file order. */
    public Map<String, ChannelOptions> namespaces() {
        return namespaces;
    }

    /**
     * The core channel rules for these settings.
     *
     * @throws ConfigException naming the key, should the core refuse a value
     */
    public ChannelRules toChannelRules() {
        ChannelRules.Builder b = ChannelRules.builder().defaultOptions(defaultOptions);
        wrap("channel.max_length", () -> b.maxChannelLength(maxLength));
        wrap("channel.pattern", () -> b.channelPattern(pattern));
        int i = 0;
        for (Map.Entry<String, ChannelOptions> e : namespaces.entrySet()) {
            int index = i++;
            wrap("channel.namespaces[" + index + "].name", () -> b.namespace(e.getKey(), e.getValue()));
        }
        return b.build();
    }

    private static void wrap(String key, Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ChannelConfig{maxLength=" + maxLength + ", pattern=" + pattern + ", default=" + defaultOptions
                + ", namespaces=" + namespaces + '}';
    }

    /** Builder of {@link ChannelConfig}. */
    public static final class Builder {
        private int maxLength = DEFAULT_MAX_LENGTH;
        private String pattern = DEFAULT_PATTERN;
        private ChannelOptions defaultOptions = ChannelOptions.defaults();
        private final Map<String, ChannelOptions> namespaces = new LinkedHashMap<>();

        private Builder() {}

        private Builder(ChannelConfig c) {
            maxLength = c.maxLength;
            pattern = c.pattern;
            defaultOptions = c.defaultOptions;
            namespaces.putAll(c.namespaces);
        }

        public Builder maxLength(int v) {
            maxLength = Check.atLeast("channel.max_length", v, 1);
            return this;
        }

        /** @throws ConfigException when the expression does not compile */
        public Builder pattern(String regex) {
            String key = "channel.pattern";
            Check.requiredText(key, regex);
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new ConfigException(key, "is not a valid regular expression: " + e.getDescription());
            }
            pattern = regex;
            return this;
        }

        public Builder defaultOptions(ChannelOptions v) {
            defaultOptions = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Adds a namespace after those already added.
         *
         * @throws ConfigException for a malformed or duplicate name, naming {@code channel.namespaces[i].name}
         */
        public Builder namespace(String name, ChannelOptions options) {
            String key = "channel.namespaces[" + namespaces.size() + "].name";
            if (name == null || !ChannelRules.NAMESPACE_NAME.matcher(name).matches()) {
                throw new ConfigException(
                        key,
                        "\"" + name + "\" is not a valid namespace name (1-64 of" + " letters, digits, '_', '-', '.')");
            }
            if (namespaces.containsKey(name)) {
                throw new ConfigException(key, "namespace \"" + name + "\" is configured twice");
            }
            namespaces.put(name, Objects.requireNonNull(options));
            return this;
        }

        /** Removes every namespace added so far. */
        public Builder clearNamespaces() {
            namespaces.clear();
            return this;
        }

        public ChannelConfig build() {
            return new ChannelConfig(this);
        }
    }
}
