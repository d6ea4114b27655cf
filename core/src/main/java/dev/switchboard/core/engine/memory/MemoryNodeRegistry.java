package dev.switchboard.core.engine.memory;

import dev.switchboard.core.engine.NodeRegistry;
import dev.switchboard.core.engine.NodeInfo;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The registry of a single node: the node itself, as of its last heartbeat. */
public final class MemoryNodeRegistry implements NodeRegistry {

    private volatile NodeInfo self;

    @Override
    public CompletableFuture<Void> heartbeat(NodeInfo info) {
        self = info;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<List<NodeInfo>> nodes() {
        NodeInfo s = self;
        return CompletableFuture.completedFuture(s == null ? List.of() : List.of(s));
    }

    @Override
    public CompletableFuture<Void> leave(String nodeId) {
        self = null;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        self = null;
    }
}
