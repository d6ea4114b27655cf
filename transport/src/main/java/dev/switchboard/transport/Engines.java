package dev.switchboard.transport;

import dev.switchboard.core.engine.Engine;
import dev.switchboard.core.engine.memory.MemoryEngine;
import dev.switchboard.transport.config.ServerConfig;
import java.time.Clock;

/**
 * The one place a configuration becomes an {@link Engine}, for server nodes and workers alike.
 *
 * <pre>{@code
 * NodeOptions options = config.toNodeOptions();
 * Node node = Node.builder().options(options).engine(Engines.create(config, options.id())).build();
 * }</pre>
 */
final class Engines {

    private Engines() {}

    /**
     * Creates the engine the config names; the Redis one connects at once.
     *
     * @param nodeId the node's id, which names its own channel in a networked engine
     * @throws IllegalStateException when Redis cannot be reached, or {@code io_transport} names a
     *     transport that does not load here
     * @throws dev.switchboard.transport.config.ConfigException when the Redis engine is not on the class path
     */
    static Engine create(ServerConfig config, String nodeId) {
        return switch (config.engine()) {
            case MEMORY -> new MemoryEngine(Clock.systemUTC(), config.webhook().maxBacklog());
            // Lettuce follows io_transport too; resolved outside the connect, whose failure means "Redis is down".
            case REDIS -> RedisSupport.connect(config, config.ioTransport().resolve(), nodeId);
        };
    }
}
