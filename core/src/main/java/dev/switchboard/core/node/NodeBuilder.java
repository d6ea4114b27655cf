package dev.switchboard.core.node;

import dev.switchboard.core.auth.TokenVerifier;
import dev.switchboard.core.engine.Broker;
import dev.switchboard.core.engine.ConnectionRegistry;
import dev.switchboard.core.engine.NodeRegistry;
import dev.switchboard.core.engine.PresenceManager;
import dev.switchboard.core.hook.ConnectHandler;
import dev.switchboard.core.hook.DisconnectListener;
import dev.switchboard.core.hook.PublishHandler;
import dev.switchboard.core.hook.RpcHandler;
import dev.switchboard.core.hook.SendHandler;
import dev.switchboard.core.hook.SubscribeHandler;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builder of {@link Node}. The memory engine (broker, presence, registries) is used for any part
 * not given.
 *
 * <pre>{@code
 * Node node = Node.builder().options(options).tokenVerifier(verifier).rpc("echo", handler).build().start();
 * }</pre>
 */
public final class NodeBuilder {

    NodeOptions options = NodeOptions.builder().build();
    Broker broker;
    PresenceManager presenceManager;
    NodeRegistry registry;
    ConnectionRegistry connections;
    TokenVerifier tokenVerifier = TokenVerifier.REJECT_ALL;
    ConnectHandler connectHandler;
    SubscribeHandler subscribeHandler;
    PublishHandler publishHandler;
    SendHandler sendHandler;
    DisconnectListener disconnectListener;
    final Map<String, RpcHandler> rpcHandlers = new ConcurrentHashMap<>();
    NodeMetrics metrics = NodeMetrics.NOOP;

    NodeBuilder() {
    }

    public NodeBuilder options(NodeOptions v) { options = Objects.requireNonNull(v); return this; }
    public NodeBuilder broker(Broker v) { broker = v; return this; }
    public NodeBuilder presenceManager(PresenceManager v) { presenceManager = v; return this; }
    public NodeBuilder nodeRegistry(NodeRegistry v) { registry = v; return this; }
    public NodeBuilder connectionRegistry(ConnectionRegistry v) { connections = v; return this; }
    public NodeBuilder tokenVerifier(TokenVerifier v) { tokenVerifier = Objects.requireNonNull(v); return this; }
    public NodeBuilder onConnect(ConnectHandler v) { connectHandler = v; return this; }
    public NodeBuilder onSubscribe(SubscribeHandler v) { subscribeHandler = v; return this; }
    public NodeBuilder onPublish(PublishHandler v) { publishHandler = v; return this; }
    public NodeBuilder onSend(SendHandler v) { sendHandler = v; return this; }
    public NodeBuilder onDisconnect(DisconnectListener v) { disconnectListener = v; return this; }
    public NodeBuilder metrics(NodeMetrics v) { metrics = Objects.requireNonNull(v); return this; }

    /** Registers the handler of an RPC method clients call with {@code rpc}. */
    public NodeBuilder rpc(String method, RpcHandler handler) {
        rpcHandlers.put(Objects.requireNonNull(method), Objects.requireNonNull(handler));
        return this;
    }

    public Node build() {
        return new Node(this);
    }
}
