package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.engine.BrokerEventHandler;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.PublishOptions;
import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.redis.testing.BrokerEventsAdapter;
import dev.switchboard.redis.testing.FreezingProxy;
import dev.switchboard.redis.testing.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A pub/sub connection that silently stops receiving is found by the probe and replaced, losing nothing. */
class DeafPubSubIT {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    private final List<Long> delivered = new ArrayList<>();

    private final BrokerEventHandler handler = new BrokerEventsAdapter() {
        @Override
        public synchronized void handlePublication(String channel, Publication publication, StreamPosition position) {
            synchronized (delivered) {
                delivered.add(publication.offset());
            }
        }

        @Override
        public void handleInsufficientState(String channel) {
            throw new AssertionError("no insufficient state expected");
        }
    };

    @Test
    void deafPubSubConnectionIsReplacedAndTheMissedPublicationsAreFilledIn() throws Exception {
        try (FreezingProxy proxy = new FreezingProxy(redis.port());
                RedisConnections viaProxy = new RedisConnections(RedisEngineOptions.builder(proxy.url())
                        .prefix("deaf")
                        .probeInterval(Duration.ofMillis(500))
                        .probeTimeout(Duration.ofMillis(500))
                        .build());
                RedisConnections direct = new RedisConnections(
                        RedisEngineOptions.builder(redis.url()).prefix("deaf").build())) {
            RedisBroker listening = new RedisBroker(viaProxy, "listener");
            listening.start(handler);
            listening.subscribe("c").join();
            RedisBroker publishing = new RedisBroker(direct, "publisher");
            publishing.start(handler);
            PublishOptions history =
                    new PublishOptions(1000, Duration.ofMinutes(5), Duration.ofHours(1), null, null, null, null);
            byte[] data = "{}".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 10; i++) {
                publishing.publish("c", data, history).join();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> size() == 10);

            assertThat(proxy.freezePubSub()).isGreaterThanOrEqualTo(1);
            long frozenAt = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                publishing.publish("c", data, history).join();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> listening.pubSubRestarts() >= 1);
            long detectedMs = (System.nanoTime() - frozenAt) / 1_000_000;
            await().atMost(Duration.ofSeconds(5)).until(() -> size() == 20);
            List<Long> expected = new ArrayList<>();
            for (long o = 1; o <= 20; o++) {
                expected.add(o);
            }
            synchronized (delivered) {
                assertThat(delivered).isEqualTo(expected);
            }
            System.out.printf(
                    "deaf pub/sub detected and replaced after %d ms; %d publications filled from the stream%n",
                    detectedMs, listening.gapFilledCount());
            listening.close();
            publishing.close();
        }
    }

    private int size() {
        synchronized (delivered) {
            return delivered.size();
        }
    }
}
