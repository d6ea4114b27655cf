package dev.switchboard.transport.config;

import java.util.Locale;

/**
 * Which engine (broker, presence and registry) a node uses. Written lower case in the config
 * file and in {@code SWITCHBOARD_ENGINE}.
 *
 * <p>Every value runs in every build: the server ships both engines.
 */
public enum Engine {
    /** Everything in this process: one node, nothing else to run. The default. */
    MEMORY,
    /** Redis: many nodes and workers share one Redis deployment. */
    REDIS;

    /** The name used in configuration: {@code memory} or {@code redis}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a configuration name, ignoring case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Engine fromConfigName(String name) {
        for (Engine e : values()) {
            if (e.configName().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("must be one of memory, redis, got \"" + name + "\"");
    }
}
