package dev.switchboard.core.channel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Channel naming rules and the namespaces a node knows: which {@link ChannelOptions} apply to a
 * channel, whether its name is acceptable, and which users a user-limited channel admits.
 *
 * <p>A channel {@code chat:room1} belongs to namespace {@code chat}; a channel with no
 * {@code :} belongs to the default namespace. A channel whose namespace is not configured is
 * unknown (protocol error 102).
 *
 * <pre>{@code
 * ChannelRules rules = ChannelRules.builder()
 *     .defaultOptions(ChannelOptions.builder().allowSubscribeForClient(true).build())
 *     .namespace("chat", ChannelOptions.builder().historySize(50).historyTtl(Duration.ofMinutes(5)).build())
 *     .build();
 * Optional<ChannelOptions> opts = rules.optionsFor("chat:room1");
 * }</pre>
 */
public final class ChannelRules {

    /** Default {@link #maxChannelLength()}: longer names are refused. */
    public static final int DEFAULT_MAX_CHANNEL_LENGTH = 255;
    /** Separates a namespace from the rest of a channel name. */
    public static final char NAMESPACE_BOUNDARY = ':';
    /** Starts the user list of a user-limited channel ({@code dm:#42,43}). */
    public static final char USER_BOUNDARY = '#';
    /** Separates users in a user-limited channel's user list. */
    public static final char USER_SEPARATOR = ',';
    /**
     * Default {@link #channelPattern()}: letters, digits and the punctuation channels use in
     * practice. No whitespace or control characters.
     */
    public static final String DEFAULT_CHANNEL_PATTERN = "[A-Za-z0-9_\\-:#,.@=/$!+*|~]+";
    /** Namespace names: short identifiers. */
    public static final Pattern NAMESPACE_NAME = Pattern.compile("[A-Za-z0-9_\\-.]{1,64}");

    private final ChannelOptions defaultOptions;
    private final Map<String, ChannelOptions> namespaces;
    private final int maxChannelLength;
    private final Pattern channelPattern;

    private ChannelRules(Builder b) {
        this.defaultOptions = b.defaultOptions;
        this.namespaces = Collections.unmodifiableMap(new LinkedHashMap<>(b.namespaces));
        this.maxChannelLength = b.maxChannelLength;
        this.channelPattern = Pattern.compile(b.channelPattern);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of channels that have no namespace prefix. */
    public ChannelOptions defaultOptions() {
        return defaultOptions;
    }

    /** Configured namespaces by name, in configuration order. */
    public Map<String, ChannelOptions> namespaces() {
        return namespaces;
    }

    public int maxChannelLength() {
        return maxChannelLength;
    }

    public Pattern channelPattern() {
        return channelPattern;
    }

    /** True when the name is non-empty, not too long and made of allowed characters. */
    public boolean isValidName(String channel) {
        return channel != null
                && !channel.isEmpty()
                && channel.length() <= maxChannelLength
                && channelPattern.matcher(channel).matches();
    }

    /** The namespace part of a channel name, or {@code ""} for the default namespace. */
    public static String namespaceOf(String channel) {
        int i = channel.indexOf(NAMESPACE_BOUNDARY);
        return i < 0 ? "" : channel.substring(0, i);
    }

    /** The options of the channel's namespace, or empty when that namespace is unknown. */
    public Optional<ChannelOptions> optionsFor(String channel) {
        String ns = namespaceOf(channel);
        if (ns.isEmpty()) {
            return Optional.of(defaultOptions);
        }
        return Optional.ofNullable(namespaces.get(ns));
    }

    /** True when the channel carries a user list ({@code #} boundary). */
    public static boolean isUserLimited(String channel) {
        return channel.indexOf(USER_BOUNDARY) >= 0;
    }

    /** True when {@code user} is one of the users listed after the channel's {@code #}. */
    public static boolean userAllowed(String channel, String user) {
        int i = channel.lastIndexOf(USER_BOUNDARY);
        if (i < 0 || user == null || user.isEmpty()) {
            return false;
        }
        String list = channel.substring(i + 1);
        for (String u : list.split(String.valueOf(USER_SEPARATOR), -1)) {
            if (u.equals(user)) {
                return true;
            }
        }
        return false;
    }

    /** Builder of {@link ChannelRules}. */
    public static final class Builder {
        private ChannelOptions defaultOptions = ChannelOptions.defaults();
        private final Map<String, ChannelOptions> namespaces = new LinkedHashMap<>();
        private int maxChannelLength = DEFAULT_MAX_CHANNEL_LENGTH;
        private String channelPattern = DEFAULT_CHANNEL_PATTERN;

        private Builder() {}

        public Builder defaultOptions(ChannelOptions options) {
            defaultOptions = java.util.Objects.requireNonNull(options);
            return this;
        }

        /**
         * Adds a namespace.
         *
         * @throws IllegalArgumentException for a bad or duplicate name
         */
        public Builder namespace(String name, ChannelOptions options) {
            if (name == null || !NAMESPACE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("namespace name '" + name + "' must match " + NAMESPACE_NAME);
            }
            if (namespaces.putIfAbsent(name, java.util.Objects.requireNonNull(options)) != null) {
                throw new IllegalArgumentException("namespace '" + name + "' is configured twice");
            }
            return this;
        }

        public Builder maxChannelLength(int v) {
            if (v <= 0) {
                throw new IllegalArgumentException("channel_max_length must be > 0, got " + v);
            }
            maxChannelLength = v;
            return this;
        }

        /** A regular expression every channel name must match in full. */
        public Builder channelPattern(String regex) {
            Pattern.compile(regex);
            channelPattern = regex;
            return this;
        }

        public ChannelRules build() {
            return new ChannelRules(this);
        }
    }

    /** Names of all namespaces, for messages. */
    public List<String> namespaceNames() {
        return new ArrayList<>(namespaces.keySet());
    }
}
