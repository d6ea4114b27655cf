package dev.switchboard.core.engine.memory;

import dev.switchboard.core.engine.NodeInfo;
import dev.switchboard.core.engine.NodeRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/** The registry of a single node: the node itself, as of its last heartbeat. */
public final class MemoryNodeRegistry implements NodeRegistry {

    private final AtomicReference<NodeInfo> self = new AtomicReference<>();

    @Override
    public CompletableFuture<Boolean> heartbeat(NodeInfo info) {
        return CompletableFuture.completedFuture(self.getAndSet(info) == null);
    }

    @Override
    public CompletableFuture<List<NodeInfo>> nodes() {
        NodeInfo s = self.get();
        return CompletableFuture.completedFuture(s == null ? List.of() : List.of(s));
    }

    /** Removes the node if it is this one; another node's id changes nothing. */
    @Override
    public CompletableFuture<Void> leave(String nodeId) {
        self.updateAndGet(s -> s != null && s.id().equals(nodeId) ? null : s);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        self.set(null);
    }
}
