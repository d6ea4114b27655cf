package dev.switchboard.redis;

import dev.switchboard.core.engine.Broker;
import dev.switchboard.core.engine.Engine;
import dev.switchboard.core.engine.EventQueue;
import dev.switchboard.core.engine.NodeRegistry;
import dev.switchboard.core.engine.PresenceManager;
import io.lettuce.core.resource.ClientResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Redis engine for one node: the broker, presence and the node and connection registries
 * sharing one set of connections, which close last. Expiry is Redis's own, so it runs no timer.
 *
 * <p>Three shapes, picked by the options: one Redis (standalone or Sentinel-managed); a Redis
 * Cluster ({@code redis+cluster://}), which places keys and sharded pub/sub by slot; or several
 * independent Redis servers ({@link RedisEngineOptions#builder(java.util.List)}), over which
 * channels are spread by consistent hashing while the first server holds the registries, lifecycle
 * events and node messages.
 *
 * <pre>{@code
 * RedisEngine engine = RedisEngine.connect(RedisEngineOptions.builder("redis://127.0.0.1:6379").build(), nodeId);
 * Node node = Node.builder().options(options).engine(engine).build().start();
 * ...
 * node.close(); // closes the engine too
 * }</pre>
 */
public final class RedisEngine implements Engine {

    private final RedisEngineOptions options;
    private final List<RedisConnections> connections;
    private final List<RedisBroker> brokers;
    private final Broker broker;
    private final PresenceManager presence;
    private final RedisNodeRegistry registry;
    private final RedisConnectionRegistry connectionRegistry;
    private final RedisEventQueue events;
    private final ClientResources sharedResources;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisEngine(
            RedisEngineOptions options, List<RedisConnections> connections, ClientResources shared, String nodeId) {
        this.options = options;
        this.sharedResources = shared;
        this.connections = List.copyOf(connections);
        // The registry routes through lookups the first shard's pub/sub keeps fresh; the other
        // shards' sessions must not switch that cache on or off, so they get caches of their own.
        RoutingKeyCache routingKeys = new RoutingKeyCache();
        List<RedisBroker> bs = new ArrayList<>();
        List<RedisPresenceManager> ps = new ArrayList<>();
        for (int i = 0; i < connections.size(); i++) {
            bs.add(new RedisBroker(connections.get(i), nodeId, i == 0 ? routingKeys : new RoutingKeyCache()));
            ps.add(new RedisPresenceManager(connections.get(i)));
        }
        this.brokers = List.copyOf(bs);
        this.broker = bs.size() == 1 ? bs.get(0) : new ShardedRedisBroker(bs);
        this.presence = ps.size() == 1 ? ps.get(0) : new ShardedPresenceManager(ps);
        RedisConnections first = connections.get(0);
        this.registry = new RedisNodeRegistry(first);
        this.connectionRegistry = new RedisConnectionRegistry(first, routingKeys);
        this.events = new RedisEventQueue(first);
    }

    /**
     * Connects to Redis: every shard's server when the options list several.
     *
     * @param nodeId the node's id: its own pub/sub channel is named after it
     * @throws IllegalStateException when a Redis cannot be reached
     */
    public static RedisEngine connect(RedisEngineOptions options, String nodeId) {
        if (options.urls().size() == 1) {
            return new RedisEngine(options, List.of(new RedisConnections(options)), null, nodeId);
        }
        // Several servers share one set of Lettuce event loops and timers, not one set each.
        ClientResources shared = RedisConnections.newResources(options);
        List<RedisConnections> shards = new ArrayList<>();
        try {
            for (int i = 0; i < options.urls().size(); i++) {
                shards.add(new RedisConnections(options.forShard(i), shared));
            }
        } catch (RuntimeException e) {
            shards.forEach(RedisConnections::close);
            shared.shutdown(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        return new RedisEngine(options, shards, shared, nodeId);
    }

    /** The options it was connected with. */
    public RedisEngineOptions options() {
        return options;
    }

    @Override
    public Broker broker() {
        return broker;
    }

    /** The broker of one shard (0 when there is one Redis). */
    RedisBroker broker(int shard) {
        return brokers.get(shard);
    }

    /** Publications this node recovered from streams after pub/sub gaps, on every shard. */
    public long gapFilledCount() {
        return brokers.stream().mapToLong(RedisBroker::gapFilledCount).sum();
    }

    /** Times a pub/sub connection was found lost or deaf and replaced, on every shard. */
    public long pubSubRestarts() {
        return brokers.stream().mapToLong(RedisBroker::pubSubRestarts).sum();
    }

    @Override
    public PresenceManager presenceManager() {
        return presence;
    }

    @Override
    public NodeRegistry nodeRegistry() {
        return registry;
    }

    @Override
    public RedisConnectionRegistry connectionRegistry() {
        return connectionRegistry;
    }

    /** Lifecycle events in a Redis stream, shared by every node. */
    @Override
    public Optional<EventQueue> eventQueue() {
        return Optional.of(events);
    }

    /** Closes the parts, then the connections they share. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Engine.super.close();
        } finally {
            connections.forEach(RedisConnections::close);
            if (sharedResources != null) {
                sharedResources.shutdown(0, 2, TimeUnit.SECONDS);
            }
        }
    }
}
