package dev.switchboard.core.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster's live nodes. Each node heartbeats its identity and counts; a node that stops
 * heartbeating drops out after the registry's timeout.
 *
 * <pre>{@code
 * registry.heartbeat(node.info()).join();
 * List<NodeInfo> live = registry.nodes().join();
 * }</pre>
 */
public interface NodeRegistry extends AutoCloseable {

    /**
     * Records that this node is alive with these counts.
     *
     * @return true when the registry did not list this node before this heartbeat: its first one,
     *     or the node had been evicted (silent past the timeout), or the engine lost its data (a
     *     Redis restarted empty). The node then writes its connections again, since the registry
     *     no longer has them.
     */
    CompletableFuture<Boolean> heartbeat(NodeInfo info);

    /** Nodes whose last heartbeat is recent enough, this one included. */
    CompletableFuture<List<NodeInfo>> nodes();

    /** Removes a node at once (graceful shutdown). */
    CompletableFuture<Void> leave(String nodeId);

    @Override
    void close();
}
