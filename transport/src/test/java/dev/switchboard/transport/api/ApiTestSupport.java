package dev.switchboard.transport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.channel.ChannelRules;
import dev.switchboard.core.engine.Broker;
import dev.switchboard.core.engine.BrokerEventHandler;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.HistoryFilter;
import dev.switchboard.core.engine.HistoryResult;
import dev.switchboard.core.engine.PublishOptions;
import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.core.engine.memory.MemoryBroker;
import dev.switchboard.core.node.Transport;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.core.protocol.ProtocolError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Channel rules, a controllable broker and a recording transport shared by the API tests. */
final class ApiTestSupport {

    /** {@code chat:*}: history and presence. */
    static final ChannelOptions CHAT = ChannelOptions.builder()
            .historySize(10)
            .historyTtl(Duration.ofMinutes(5))
            .presence(true)
            .build();

    private ApiTestSupport() {}

    /** Default namespace: no history, no presence; {@code chat}: both. */
    static ChannelRules rules() {
        return ChannelRules.builder()
                .defaultOptions(ChannelOptions.builder().build())
                .namespace("chat", CHAT)
                .build();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode json(ApiResponse r) {
        try {
            return ProtocolCodec.mapper().readTree(r.json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ApiResponse call(ApiExecutor api, String method, String body) {
        return api.execute(method, bytes(body)).orTimeout(5, TimeUnit.SECONDS).join();
    }

    static void assertError(ApiResponse r, int status, int code) {
        assertThat(r.httpStatus()).as("status of %s", r).isEqualTo(status);
        assertThat(json(r).path("error").path("code").asInt())
                .as("code of %s", r)
                .isEqualTo(code);
    }

    /**
     * The memory engine, with switches to answer asynchronously (as a networked engine does) or
     * to fail publishes and history reads as an engine that lost its connection.
     */
    static final class ControllableBroker implements Broker {
        private final MemoryBroker delegate = new MemoryBroker();
        volatile boolean down;
        volatile boolean async;
        /** When set, operations wait for it: an engine that has not answered yet. */
        volatile CompletableFuture<Void> gate;

        private <T> CompletableFuture<T> maybe(Supplier<CompletableFuture<T>> op) {
            if (down) {
                return CompletableFuture.failedFuture(ProtocolError.INTERNAL.withMessage("engine unavailable"));
            }
            CompletableFuture<Void> g = gate;
            if (g != null) {
                return g.thenCompose(v -> op.get());
            }
            if (!async) {
                return op.get();
            }
            Executor later = CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS);
            return CompletableFuture.supplyAsync(op, later).thenCompose(f -> f);
        }

        @Override
        public void start(BrokerEventHandler handler) {
            delegate.start(handler);
        }

        @Override
        public CompletableFuture<StreamPosition> publish(String channel, byte[] data, PublishOptions options) {
            return maybe(() -> delegate.publish(channel, data, options));
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
        public CompletableFuture<Void> publishControl(byte[] message) {
            return delegate.publishControl(message);
        }

        @Override
        public CompletableFuture<Void> publishToNode(String nodeId, byte[] message) {
            return delegate.publishToNode(nodeId, message);
        }

        @Override
        public CompletableFuture<Void> subscribe(String channel) {
            return delegate.subscribe(channel);
        }

        @Override
        public CompletableFuture<Void> unsubscribe(String channel) {
            return delegate.unsubscribe(channel);
        }

        @Override
        public CompletableFuture<HistoryResult> history(String channel, HistoryFilter filter) {
            return maybe(() -> delegate.history(channel, filter));
        }

        @Override
        public CompletableFuture<Void> removeHistory(String channel) {
            return maybe(() -> delegate.removeHistory(channel));
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Records what the node writes to one connection and how it was closed. */
    static final class RecordingTransport implements Transport {
        final List<String> written = new CopyOnWriteArrayList<>();
        volatile Disconnect closedWith;

        @Override
        public String name() {
            return "test";
        }

        @Override
        public void write(byte[] message) {
            written.add(new String(message, StandardCharsets.UTF_8));
        }

        @Override
        public void close(Disconnect disconnect) {
            if (closedWith == null) {
                closedWith = disconnect;
            }
        }
    }
}
