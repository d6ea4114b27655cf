package dev.switchboard.redis;

import dev.switchboard.core.engine.Broker;
import dev.switchboard.core.engine.BrokerEventHandler;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.HistoryFilter;
import dev.switchboard.core.engine.HistoryResult;
import dev.switchboard.core.engine.PublishOptions;
import dev.switchboard.core.engine.StreamPosition;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Broker} over several independent Redis servers, one {@link RedisBroker} each: a
 * channel's publications, history, joins and leaves live on the shard {@link ChannelShards} picks
 * for it; node messages and control messages go through the first shard, which every node hears.
 * A shard that is down affects only its channels.
 */
final class ShardedRedisBroker implements Broker {

    private final List<RedisBroker> shards;

    ShardedRedisBroker(List<RedisBroker> shards) {
        this.shards = List.copyOf(shards);
    }

    private RedisBroker shard(String channel) {
        return shards.get(ChannelShards.of(channel, shards.size()));
    }

    @Override
    public void start(BrokerEventHandler handler) {
        shards.forEach(s -> s.start(handler));
    }

    @Override
    public CompletableFuture<StreamPosition> publish(String channel, byte[] data, PublishOptions options) {
        return shard(channel).publish(channel, data, options);
    }

    @Override
    public CompletableFuture<Void> publishJoin(String channel, ClientInfo info) {
        return shard(channel).publishJoin(channel, info);
    }

    @Override
    public CompletableFuture<Void> publishLeave(String channel, ClientInfo info) {
        return shard(channel).publishLeave(channel, info);
    }

    @Override
    public CompletableFuture<Void> publishToNode(String nodeId, byte[] message) {
        return shards.get(0).publishToNode(nodeId, message);
    }

    @Override
    public CompletableFuture<Void> publishControl(byte[] message) {
        return shards.get(0).publishControl(message);
    }

    /** Node channels live on the first shard. */
    @Override
    public CompletableFuture<Set<String>> nodesNotListening(Collection<String> nodeIds) {
        return shards.get(0).nodesNotListening(nodeIds);
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        return shard(channel).subscribe(channel);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String channel) {
        return shard(channel).unsubscribe(channel);
    }

    @Override
    public CompletableFuture<HistoryResult> history(String channel, HistoryFilter filter) {
        return shard(channel).history(channel, filter);
    }

    @Override
    public CompletableFuture<Void> removeHistory(String channel) {
        return shard(channel).removeHistory(channel);
    }

    @Override
    public boolean healthy() {
        return shards.stream().allMatch(RedisBroker::healthy);
    }

    @Override
    public void close() {
        shards.forEach(RedisBroker::close);
    }
}
