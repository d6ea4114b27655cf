package dev.switchboard.core.engine;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Moves publications between nodes and keeps channel history.
 *
 * <p>Every method returns at once; the future completes when the engine has done the work or
 * failed (a {@link dev.switchboard.core.protocol.ProtocolError} with {@code temporary} when the
 * engine is unavailable). Implementations are thread-safe.
 *
 * <pre>{@code
 * Broker broker = new MemoryBroker();
 * broker.start(handler);
 * broker.subscribe("chat").join();
 * StreamPosition pos = broker.publish("chat", "{\"text\":\"hi\"}".getBytes(UTF_8), options).join();
 * }</pre>
 */
public interface Broker extends AutoCloseable {

    /** Starts delivering events to the handler. Called once, before anything else. */
    void start(BrokerEventHandler handler);

    /**
     * Publishes data into a channel: stores it in history when the options say so, then delivers
     * it to every node subscribed to the channel.
     *
     * @return the stream position of the publication (offset {@code 0} without history)
     */
    CompletableFuture<StreamPosition> publish(String channel, byte[] data, PublishOptions options);

    /** Delivers a join event to nodes subscribed to the channel. */
    CompletableFuture<Void> publishJoin(String channel, ClientInfo info);

    /** Delivers a leave event to nodes subscribed to the channel. */
    CompletableFuture<Void> publishLeave(String channel, ClientInfo info);

    /**
     * Delivers a message to one node only (its own channel), for invocations and their replies.
     * Nodes that are gone drop it; callers detect that through the node registry.
     */
    CompletableFuture<Void> publishToNode(String nodeId, byte[] message);

    /** Delivers a control message to every node, this one included. */
    CompletableFuture<Void> publishControl(byte[] message);

    /**
     * Starts delivering the channel's events to this node. Completes once delivery is in effect:
     * anything published after completion reaches the handler.
     */
    CompletableFuture<Void> subscribe(String channel);

    /** Stops delivering the channel's events to this node. */
    CompletableFuture<Void> unsubscribe(String channel);

    /** Reads the channel's history and current stream position. */
    CompletableFuture<HistoryResult> history(String channel, HistoryFilter filter);

    /** Removes the channel's history; the stream position is kept. */
    CompletableFuture<Void> removeHistory(String channel);

    /**
     * Whether the engine is reachable right now, for health checks. A broker that is down fails
     * calls fast with a temporary error.
     */
    /**
     * Of these nodes, the ones nobody listens for right now: a node process that crashed closed its
     * sockets, so the engine sees its subscription to its own channel go at once, long before its
     * heartbeat goes stale. Callers confirm over a few checks, since a live node's subscription may
     * be gone for a moment while it reconnects. The default cannot tell, and says none.
     */
    default CompletableFuture<Set<String>> nodesNotListening(Collection<String> nodeIds) {
        return CompletableFuture.completedFuture(Set.of());
    }

    default boolean healthy() {
        return true;
    }

    /** Stops the broker and releases its resources. */
    @Override
    void close();
}
