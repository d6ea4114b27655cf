package dev.switchboard.server.config;

import java.util.EnumSet;
import java.util.Set;

/**
 * Checks that need more than the values themselves: which engines this build can run, whether
 * key files exist and hold usable keys, and a dry run of the mapping to the core options. Runs before anything
 * starts so that a bad config never leaves a half-started node.
 *
 * <pre>{@code
 * ConfigValidator.validate(config); // throws ConfigException naming the key
 * }</pre>
 */
public final class ConfigValidator {

    /**
     * Engines this build can run. This is the single place to change when the Redis engine
     * module lands (add {@link Engine#REDIS}, or replace with a ServiceLoader lookup).
     */
    public static final Set<Engine> AVAILABLE_ENGINES = Set.copyOf(EnumSet.of(Engine.MEMORY, Engine.REDIS));

    private ConfigValidator() {
    }

    /**
     * Validates the config.
     *
     * @throws ConfigException naming the first key that is wrong
     */
    public static void validate(ServerConfig config) {
        checkEngine(config.engine());
        config.token().checkPublicKeys();
        config.toNodeOptions();
    }

    /** @throws ConfigException {@code engine: engine redis is not available in this build} */
    static void checkEngine(Engine engine) {
        if (!AVAILABLE_ENGINES.contains(engine)) {
            String available = AVAILABLE_ENGINES.stream().sorted().map(Engine::configName)
                .collect(java.util.stream.Collectors.joining(", "));
            throw new ConfigException("engine", "engine " + engine.configName() + " is not available in this build"
                + " (available: " + available + ")");
        }
    }
}
