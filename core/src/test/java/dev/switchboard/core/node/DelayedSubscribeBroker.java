package dev.switchboard.core.node;

import dev.switchboard.core.engine.Broker;
import dev.switchboard.core.engine.BrokerEventHandler;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.HistoryFilter;
import dev.switchboard.core.engine.HistoryResult;
import dev.switchboard.core.engine.PublishOptions;
import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.core.engine.memory.MemoryBroker;
import java.util.concurrent.CompletableFuture;

/**
 * The memory broker, except that subscribe reports completion only when the test says so:
 * delivery is already on, as with a Redis SUBSCRIBE whose confirmation is still in flight.
 */
final class DelayedSubscribeBroker implements Broker {

    private final MemoryBroker delegate = new MemoryBroker();
    private final CompletableFuture<Void> pending = new CompletableFuture<>();

    void completeSubscribe() {
        pending.complete(null);
    }

    @Override
    public void start(BrokerEventHandler handler) {
        delegate.start(handler);
    }

    @Override
    public CompletableFuture<StreamPosition> publish(String channel, byte[] data, PublishOptions options) {
        return delegate.publish(channel, data, options);
    }

    @Override
    public CompletableFuture<Void> publishJoin(String channel, ClientInfo info) {
        return delegate.publishJoin(channel, info);
    }

    @Override
    public CompletableFuture<Void> publishLeave(String channel, ClientInfo info) {
        return delegate.publishLeave(channel, info);
    }

    @Override
    public CompletableFuture<Void> publishToNode(String nodeId, byte[] message) {
        return delegate.publishToNode(nodeId, message);
    }

    @Override
    public CompletableFuture<Void> publishControl(byte[] message) {
        return delegate.publishControl(message);
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        return delegate.subscribe(channel).thenCompose(v -> pending);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String channel) {
        return delegate.unsubscribe(channel);
    }

    @Override
    public CompletableFuture<HistoryResult> history(String channel, HistoryFilter filter) {
        return delegate.history(channel, filter);
    }

    @Override
    public CompletableFuture<Void> removeHistory(String channel) {
        return delegate.removeHistory(channel);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
