package dev.switchboard.redis;

import dev.switchboard.core.protocol.ProtocolError;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's Lettuce client and its shared command connection, configured so an outage fails
 * fast instead of buffering: commands are rejected while disconnected, the request queue is
 * bounded, every command has a timeout, and reconnects back off with full jitter.
 * Pub/sub gets connections of its own ({@link #newPubSub()}).
 */
public final class RedisConnections implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);

    private final RedisEngineOptions options;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;

    /**
     * Connects to Redis.
     *
     * @throws IllegalStateException when Redis cannot be reached at start (the message names the
     *     redacted URL)
     */
    public RedisConnections(RedisEngineOptions options) {
        this.options = options;
        LettuceTransport.apply(options.ioTransport());
        var resourcesBuilder = DefaultClientResources.builder()
                .reconnectDelay(Delay.fullJitter(
                        options.reconnectMinDelay(), options.reconnectMaxDelay(), 2, TimeUnit.MILLISECONDS));
        if (options.commandLatencyRecorder() != null) {
            resourcesBuilder.commandLatencyRecorder(options.commandLatencyRecorder());
        }
        this.resources = resourcesBuilder.build();
        RedisURI uri = RedisURI.create(options.url().replaceFirst("(?i)^redis\\+sentinel://", "redis-sentinel://"));
        uri.setTimeout(options.commandTimeout());
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(options.requestQueueSize())
                .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
                .build());
        try {
            this.connection = client.connect(ByteArrayCodec.INSTANCE);
        } catch (RedisException e) {
            client.shutdown();
            resources.shutdown();
            throw new IllegalStateException(
                    "cannot connect to Redis at " + options.redactedUrl() + ": " + rootMessage(e), e);
        }
        log.info("connected to Redis at {}", options.redactedUrl());
    }

    public RedisEngineOptions options() {
        return options;
    }

    /** Async commands on the shared connection. */
    public RedisAsyncCommands<byte[], byte[]> async() {
        return connection.async();
    }

    /** Whether the shared connection is up. */
    public boolean isOpen() {
        return connection.isOpen();
    }

    /** A new pub/sub connection; the caller closes it. */
    public StatefulRedisPubSubConnection<byte[], byte[]> newPubSub() {
        return client.connectPubSub(ByteArrayCodec.INSTANCE);
    }

    /** The Lettuce client, to listen for connection state changes. */
    RedisClient client() {
        return client;
    }

    /**
     * Maps a Redis failure to what callers see: a temporary internal error (HTTP 503, protocol
     * error 100 with {@code temporary: true}) for anything that retrying may fix.
     */
    public static Throwable toProtocolError(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (c instanceof ProtocolError) {
            return c;
        }
        if (c instanceof RedisCommandTimeoutException || c instanceof TimeoutException) {
            return ProtocolError.INTERNAL.withMessage("engine timeout");
        }
        if (c instanceof RedisConnectionException || c instanceof RedisException) {
            return ProtocolError.INTERNAL.withMessage("engine unavailable");
        }
        return ProtocolError.INTERNAL;
    }

    /** Runs a Redis call so that every failure, even a synchronous one, is a temporary ProtocolError. */
    public static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> command) {
        CompletableFuture<T> f;
        try {
            f = command.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(toProtocolError(e));
        }
        return f.exceptionallyCompose(e -> CompletableFuture.failedFuture(toProtocolError(e)));
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    @Override
    public void close() {
        try {
            connection.close();
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
