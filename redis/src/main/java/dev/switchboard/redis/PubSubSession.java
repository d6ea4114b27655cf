package dev.switchboard.redis;

import java.util.concurrent.CompletableFuture;

/**
 * The node's subscriptions in Redis: this node's own channel, the control and routing-key
 * channels every node hears, and a pub/sub channel per subscribed channel. After any gap (a
 * reconnect, a replaced connection, a channel moved to another shard) the affected channels'
 * trackers read what they missed from their streams. Two shapes: {@link SinglePubSubSession} on
 * one Redis, {@link ShardedPubSubSession} across the shards of a Redis Cluster.
 */
interface PubSubSession {

    /** Subscribes the node's fixed channels; throws if Redis cannot be reached. */
    void start();

    /** Subscribes a channel's pub/sub channel; completes once Redis confirmed it. */
    CompletableFuture<Void> subscribe(byte[] pubSubChannel);

    /** Unsubscribes a channel's pub/sub channel. */
    CompletableFuture<Void> unsubscribe(byte[] pubSubChannel);

    /** Runs a task later, with jitter, so retries of many channels spread out. */
    void retryLater(Runnable task);

    /** Whether every connection is up and heard its last probe. */
    boolean healthy();

    /** Times a connection was found deaf and replaced. */
    long restarts();

    void close();
}
