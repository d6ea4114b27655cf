package dev.switchboard.transport.config;

import java.util.Locale;

/**
 * Which engine (broker, presence and registries) the {@code engine} key names. Written lower case
 * in the config file and in {@code SWITCHBOARD_ENGINE}. Not to be confused with the core's role
 * {@link dev.switchboard.core.engine.Engine}, which {@code Engines} makes from it.
 *
 * <p>The application ships both engines; an embedder choosing {@link #REDIS} adds
 * {@code switchboard-redis}.
 */
public enum EngineType {
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
    public static EngineType fromConfigName(String name) {
        for (EngineType e : values()) {
            if (e.configName().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("must be one of memory, redis, got \"" + name + "\"");
    }
}
