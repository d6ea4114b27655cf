package dev.switchboard.transport.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code log} section: level and format of the standalone server's log, read by the
 * application ({@code switchboard.jar}), which owns the logging backend. The library itself only
 * logs through slf4j-api and never reads this: an embedding application configures its own
 * logging (the Spring Boot starter refuses {@code switchboard.log.*} and points to Boot's
 * {@code logging.*}).
 *
 * <pre>{@code
 * LogConfig log = LogConfig.builder().level("debug").format("json")
 *         .levels(List.of("dev.switchboard.redis: trace")).build();
 * }</pre>
 */
public final class LogConfig {

    /** Levels, least to most severe; {@code off} silences a logger. */
    public static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");
    /** Formats: one human-readable line per event, or one JSON object per line. */
    public static final List<String> FORMATS = List.of("text", "json");

    /** {@code log.level}: the root level; {@code info} shows starts, stops, warnings, not per-client events. */
    public static final String DEFAULT_LEVEL = "info";
    /** {@code log.format}: text for a terminal; {@code json} for a log collector. */
    public static final String DEFAULT_FORMAT = "text";

    private static final LogConfig DEFAULTS = builder().build();

    private final String level;
    private final String format;
    private final Map<String, String> levels;

    private LogConfig(Builder b) {
        level = b.level;
        format = b.format;
        levels = Collections.unmodifiableMap(new LinkedHashMap<>(b.levels));
    }

    /** Every default: info, text, no per-logger level. */
    public static LogConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@code log.level}, lower case, one of {@link #LEVELS}. */
    public String level() {
        return level;
    }

    /** {@code log.format}, one of {@link #FORMATS}. */
    public String format() {
        return format;
    }

    /** {@code log.levels}: logger name (a class or package) to level, in the order written. */
    public Map<String, String> levels() {
        return levels;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogConfig c && level.equals(c.level) && format.equals(c.format) && levels.equals(c.levels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(level, format, levels);
    }

    @Override
    public String toString() {
        return "LogConfig{level=" + level + ", format=" + format + ", levels=" + levels + '}';
    }

    /** Builder of {@link LogConfig}; its setters name the key they refuse. */
    public static final class Builder {
        private String level = DEFAULT_LEVEL;
        private String format = DEFAULT_FORMAT;
        private final Map<String, String> levels = new LinkedHashMap<>();

        private Builder() {}

        private Builder(LogConfig c) {
            level = c.level;
            format = c.format;
            levels.putAll(c.levels);
        }

        /** @throws ConfigException naming {@code log.level} for a level not in {@link #LEVELS} */
        public Builder level(String v) {
            level = oneOf("log.level", v, LEVELS);
            return this;
        }

        /** @throws ConfigException naming {@code log.format} for a format not in {@link #FORMATS} */
        public Builder format(String v) {
            format = oneOf("log.format", v, FORMATS);
            return this;
        }

        /**
         * Per-logger levels as {@code "logger: level"} strings (what {@link KeyType#HEADERS} reads
         * from a mapping such as {@code {dev.switchboard.redis: debug}}); replaces earlier ones.
         *
         * @throws ConfigException naming {@code log.levels} for a line without a logger or a bad level
         */
        public Builder levels(List<String> lines) {
            Map<String, String> parsed = new LinkedHashMap<>();
            for (String line : lines) {
                int colon = line.lastIndexOf(':');
                String logger = colon < 0 ? "" : line.substring(0, colon).trim();
                if (logger.isEmpty()) {
                    throw new ConfigException("log.levels", "write each entry \"logger: level\", got \"" + line + "\"");
                }
                parsed.put(logger, oneOf("log.levels." + logger, line.substring(colon + 1), LEVELS));
            }
            levels.clear();
            levels.putAll(parsed);
            return this;
        }

        public LogConfig build() {
            return new LogConfig(this);
        }

        private static String oneOf(String key, String v, List<String> allowed) {
            String s = v == null ? "" : v.trim().toLowerCase(Locale.ROOT);
            if (!allowed.contains(s)) {
                throw new ConfigException(key, "must be one of " + String.join(", ", allowed) + ", got \"" + v + "\"");
            }
            return s;
        }
    }
}
