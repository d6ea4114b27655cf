package dev.switchboard.transport;

import dev.switchboard.core.engine.Engine;
import dev.switchboard.core.node.Node;
import dev.switchboard.redis.RedisEngine;
import dev.switchboard.redis.RedisEngineOptions;
import dev.switchboard.transport.config.ConfigException;
import dev.switchboard.transport.config.ServerConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * Everything here that names a class of {@code switchboard-redis}, an optional dependency of the
 * library: the JVM loads this class only after {@link #AVAILABLE} said the engine is on the class
 * path, so a memory-only embedder never needs Lettuce.
 */
final class RedisSupport {

    private static final String ENGINE_CLASS = "dev.switchboard.redis.RedisEngine";

    /** True when {@code switchboard-redis} is on the class path. */
    static final boolean AVAILABLE = present();

    private RedisSupport() {}

    private static boolean present() {
        try {
            Class.forName(ENGINE_CLASS, false, RedisSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Connects the Redis engine the config describes.
     *
     * @throws ConfigException naming {@code engine} when {@code switchboard-redis} is missing
     * @throws EngineUnavailableException when Redis cannot be reached
     */
    static Engine connect(ServerConfig config, IoTransport io, String nodeId) {
        if (!AVAILABLE) {
            throw new ConfigException(
                    "engine",
                    "engine: redis needs the Redis engine on the class path "
                            + "(Maven: dev.switchboard:switchboard-redis)");
        }
        return Connector.connect(config, io, nodeId);
    }

    /** Registers the Redis engine's own meters when {@code engine} is one; returns them. */
    static List<Meter> bindMetrics(Engine engine, Node node, MeterRegistry registry) {
        return AVAILABLE ? Connector.bindMetrics(engine, node, registry) : List.of();
    }

    /** Holds the references to the engine's classes, resolved only when it is used. */
    private static final class Connector {

        static Engine connect(ServerConfig config, IoTransport io, String nodeId) {
            try {
                return connectOrThrow(config, io, nodeId);
            } catch (IllegalStateException e) {
                // RedisEngine.connect's one failure: Redis could not be reached.
                throw new EngineUnavailableException(e.getMessage(), e);
            }
        }

        private static Engine connectOrThrow(ServerConfig config, IoTransport io, String nodeId) {
            return RedisEngine.connect(
                    (config.redisUrls().isEmpty()
                                    ? RedisEngineOptions.builder(config.redisUrl())
                                    : RedisEngineOptions.builder(config.redisUrls()))
                            .prefix(config.redisPrefix())
                            .clusterRefreshInterval(config.redisClusterRefreshInterval())
                            .maxEventBacklog(config.webhook().maxBacklog())
                            .commandLatencyRecorder(new RedisCommandMeters())
                            .ioTransport(io.configName())
                            .build(),
                    nodeId);
        }

        static List<Meter> bindMetrics(Engine engine, Node node, MeterRegistry registry) {
            if (!(engine instanceof RedisEngine redis)) {
                return List.of();
            }
            if (redis.options().commandLatencyRecorder() instanceof RedisCommandMeters commands) {
                // Only an engine we connected has it; an embedder's own engine keeps its own recorder.
                commands.bind(registry);
            }
            return List.of(
                    FunctionCounter.builder(
                                    "switchboard_redis_gap_filled_publications", redis, RedisEngine::gapFilledCount)
                            .description("Publications read from channel streams to fill pub/sub gaps")
                            .register(registry),
                    FunctionCounter.builder("switchboard_redis_pubsub_restarts", redis, RedisEngine::pubSubRestarts)
                            .description("Redis pub/sub connections restarted (lost or deaf)")
                            .register(registry));
        }
    }
}
