package dev.switchboard.transport;

import dev.switchboard.core.node.Node;
import dev.switchboard.core.node.NodeMetrics;
import dev.switchboard.transport.config.ConfigException;
import dev.switchboard.transport.config.EngineType;
import dev.switchboard.transport.config.ServerConfig;
import dev.switchboard.transport.metrics.MicrometerNodeMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * A headless cluster member: no sockets, but the same {@link Node} API as a server node —
 * publish, read history and presence, look up connections and invoke methods on connected
 * clients wherever they are. For background jobs and services that hold no client connections.
 *
 * <pre>{@code
 * try (SwitchboardWorker worker = SwitchboardWorker.start(ConfigLoader.load(Path.of("switchboard.yaml"), System.getenv()))) {
 *     byte[] result = worker.node()
 *         .invoke(InvokeTarget.routingKey("proj-1:staging"), "runTest", args, Duration.ofSeconds(30))
 *         .join();
 * }
 * }</pre>
 *
 * <p>It uses the same configuration as the nodes (engine, Redis, channel namespaces); the
 * engine must be {@code redis}, since a worker with an in-memory engine would be alone. It is a
 * node without transports: its engine is made by the same wiring as a server node's.
 */
public final class SwitchboardWorker implements AutoCloseable {

    private final Node node;

    private SwitchboardWorker(ServerConfig config, MeterRegistry meters) {
        if (config.engine() != EngineType.REDIS) {
            throw new ConfigException("engine", "a worker needs engine: redis to reach the cluster");
        }
        config.validate();
        var options = config.toNodeOptions();
        this.node = Node.builder()
                .options(options)
                .engine(Engines.create(config, options.id()))
                .metrics(meters == null ? NodeMetrics.NOOP : new MicrometerNodeMetrics(meters, true))
                .build()
                .start();
    }

    /** Joins the cluster described by the config. */
    public static SwitchboardWorker start(ServerConfig config) {
        return new SwitchboardWorker(Objects.requireNonNull(config), null);
    }

    /**
     * Joins the cluster and records the worker's metrics (invocations tagged {@code path=worker})
     * into the application's registry.
     */
    public static SwitchboardWorker start(ServerConfig config, MeterRegistry meters) {
        return new SwitchboardWorker(Objects.requireNonNull(config), Objects.requireNonNull(meters));
    }

    /** The worker's node: publish, history, presence, connections, invoke. */
    public Node node() {
        return node;
    }

    /** Leaves the cluster: pending invocations fail, the registry forgets this member, Redis is closed last. */
    @Override
    public void close() {
        node.close();
    }
}
