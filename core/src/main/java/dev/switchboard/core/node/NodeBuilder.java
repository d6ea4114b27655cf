package dev.switchboard.core.node;

import dev.switchboard.core.auth.TokenVerifier;
import dev.switchboard.core.engine.Broker;
import dev.switchboard.core.engine.ConnectionRegistry;
import dev.switchboard.core.engine.Engine;
import dev.switchboard.core.engine.NodeRegistry;
import dev.switchboard.core.engine.PresenceManager;
import dev.switchboard.core.engine.memory.MemoryEngine;
import dev.switchboard.core.hook.ConnectHandler;
import dev.switchboard.core.hook.DisconnectListener;
import dev.switchboard.core.hook.PublishHandler;
import dev.switchboard.core.hook.RefreshHandler;
import dev.switchboard.core.hook.RpcHandler;
import dev.switchboard.core.hook.SendHandler;
import dev.switchboard.core.hook.SubRefreshHandler;
import dev.switchboard.core.hook.SubscribeHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builder of {@link Node}. The node runs on the {@link Engine} given with {@link #engine}, or on
 * a new {@link MemoryEngine} when none is given.
 *
 * <pre>{@code
 * Node node = Node.builder().options(options).engine(RedisEngine.connect(redisOptions, options.id()))
 *     .tokenVerifier(verifier).rpc("echo", handler).build().start();
 * }</pre>
 *
 * <p>The older part setters ({@link #broker}, {@link #presenceManager}, {@link #nodeRegistry},
 * {@link #connectionRegistry}) still work but need all four parts: a node never fills a missing
 * part with the memory one, since a networked broker with a single-node registry would
 * silently lose sight of the other nodes' connections.
 */
public final class NodeBuilder {

    NodeOptions options = NodeOptions.builder().build();
    private Engine engine;
    private Broker broker;
    private PresenceManager presenceManager;
    private NodeRegistry registry;
    private ConnectionRegistry connections;
    TokenVerifier tokenVerifier = TokenVerifier.REJECT_ALL;
    ConnectHandler connectHandler;
    RefreshHandler refreshHandler;
    SubscribeHandler subscribeHandler;
    SubRefreshHandler subRefreshHandler;
    RpcHandler rpcFallback;
    PublishHandler publishHandler;
    SendHandler sendHandler;
    DisconnectListener disconnectListener;
    LifecycleEvents lifecycleEvents = LifecycleEvents.NONE;
    final Map<String, RpcHandler> rpcHandlers = new ConcurrentHashMap<>();
    NodeMetrics metrics = NodeMetrics.NOOP;
    Clock clock = Clock.systemUTC();

    NodeBuilder() {}

    public NodeBuilder options(NodeOptions v) {
        options = Objects.requireNonNull(v);
        return this;
    }

    /** The engine the node runs on; the node starts it and closes it. */
    public NodeBuilder engine(Engine v) {
        engine = Objects.requireNonNull(v);
        return this;
    }

    /** @deprecated give the whole engine with {@link #engine}, e.g. {@link Engine#of}. */
    @Deprecated
    public NodeBuilder broker(Broker v) {
        broker = v;
        return this;
    }
    /** @deprecated give the whole engine with {@link #engine}, e.g. {@link Engine#of}. */
    @Deprecated
    public NodeBuilder presenceManager(PresenceManager v) {
        presenceManager = v;
        return this;
    }
    /** @deprecated give the whole engine with {@link #engine}, e.g. {@link Engine#of}. */
    @Deprecated
    public NodeBuilder nodeRegistry(NodeRegistry v) {
        registry = v;
        return this;
    }
    /** @deprecated give the whole engine with {@link #engine}, e.g. {@link Engine#of}. */
    @Deprecated
    public NodeBuilder connectionRegistry(ConnectionRegistry v) {
        connections = v;
        return this;
    }

    public NodeBuilder tokenVerifier(TokenVerifier v) {
        tokenVerifier = Objects.requireNonNull(v);
        return this;
    }

    public NodeBuilder onConnect(ConnectHandler v) {
        connectHandler = v;
        return this;
    }

    /**
     * Server-side refresh of expiring connections (see {@link RefreshHandler}); without it clients
     * refresh with a new token, as before.
     */
    public NodeBuilder onRefresh(RefreshHandler v) {
        refreshHandler = v;
        return this;
    }

    public NodeBuilder onSubscribe(SubscribeHandler v) {
        subscribeHandler = v;
        return this;
    }

    /**
     * Server-side refresh of expiring subscriptions whose {@code SubscribeDecision} asked for it
     * (see {@link SubRefreshHandler}); without it such subscriptions are refreshed by the client
     * with a token, as token subscriptions are.
     */
    public NodeBuilder onSubRefresh(SubRefreshHandler v) {
        subRefreshHandler = v;
        return this;
    }

    public NodeBuilder onPublish(PublishHandler v) {
        publishHandler = v;
        return this;
    }

    public NodeBuilder onSend(SendHandler v) {
        sendHandler = v;
        return this;
    }

    public NodeBuilder onDisconnect(DisconnectListener v) {
        disconnectListener = v;
        return this;
    }

    /**
     * Which lifecycle events the node queues in the engine's event queue for the application's
     * backend; {@link LifecycleEvents#NONE} by default. Something must consume the queue (the
     * transport library's webhook dispatcher does).
     */
    public NodeBuilder lifecycleEvents(LifecycleEvents v) {
        lifecycleEvents = Objects.requireNonNull(v);
        return this;
    }

    public NodeBuilder metrics(NodeMetrics v) {
        metrics = Objects.requireNonNull(v);
        return this;
    }

    /**
     * The clock deadlines and expiries are read from: connect timeouts, pings and pong timeouts,
     * connection and subscription token expiry, uptime; also the default memory engine's history and
     * presence TTLs. {@link Clock#systemUTC()} unless set; tests give a clock they move by hand and
     * call the node's tick instead of waiting.
     */
    public NodeBuilder clock(Clock v) {
        clock = Objects.requireNonNull(v);
        return this;
    }

    /** Registers the handler of an RPC method clients call with {@code rpc}. */
    public NodeBuilder rpc(String method, RpcHandler handler) {
        rpcHandlers.put(Objects.requireNonNull(method), Objects.requireNonNull(handler));
        return this;
    }

    /**
     * The handler of every {@code rpc} method no {@link #rpc(String, RpcHandler)} handler is
     * registered for (e.g. an RPC proxy to the application's backend); {@code null}: none, and
     * such calls are refused as before.
     *
     * <pre>{@code
     * Node.builder().rpc("echo", echo).rpcFallback(req -> backend.call(req.method(), req.data()));
     * }</pre>
     */
    public NodeBuilder rpcFallback(RpcHandler v) {
        rpcFallback = v;
        return this;
    }

    /**
     * Builds the node.
     *
     * @throws IllegalStateException when the engine is given by parts and one is missing, or
     *     both as a whole and by parts
     */
    public Node build() {
        return new Node(this, resolveEngine());
    }

    private Engine resolveEngine() {
        boolean anyPart = broker != null || presenceManager != null || registry != null || connections != null;
        if (!anyPart) {
            return engine != null ? engine : new MemoryEngine(clock);
        }
        if (engine != null) {
            throw new IllegalStateException("the node got an engine and engine parts: give only engine(...)");
        }
        List<String> missing = new ArrayList<>();
        if (broker == null) {
            missing.add("broker");
        }
        if (presenceManager == null) {
            missing.add("presenceManager");
        }
        if (registry == null) {
            missing.add("nodeRegistry");
        }
        if (connections == null) {
            missing.add("connectionRegistry");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the node's engine is missing " + String.join(", ", missing)
                    + ": give a complete engine with engine(Engine.of(broker, presenceManager, nodeRegistry,"
                    + " connectionRegistry)) or engine(new MemoryEngine())");
        }
        return Engine.of(broker, presenceManager, registry, connections);
    }
}
