package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.engine.BrokerEventHandler;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.PublishOptions;
import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.redis.testing.BrokerEventsAdapter;
import dev.switchboard.redis.testing.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis comes back with older data (a snapshot, an AOF with everysec, a failover to a lagging
 * replica): offsets already delivered would be reused for other publications. The node notices,
 * moves the stream to a new epoch and tells subscribers, instead of a silent hole.
 */
class StreamRollbackIT {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    @Test
    void streamThatWentBackInTimeGetsANewEpochAndSubscribersAreTold() {
        AtomicInteger insufficient = new AtomicInteger();
        AtomicInteger delivered = new AtomicInteger();
        BrokerEventHandler handler = new BrokerEventsAdapter() {
            @Override
            public void handlePublication(String channel, Publication publication, StreamPosition position) {
                delivered.incrementAndGet();
            }

            @Override
            public void handleInsufficientState(String channel) {
                insufficient.incrementAndGet();
            }
        };
        try (RedisConnections conns = new RedisConnections(
                RedisEngineOptions.builder(redis.url()).prefix("rb").build())) {
            RedisBroker broker = new RedisBroker(conns, "n1");
            broker.start(handler);
            broker.subscribe("c").join();
            PublishOptions history =
                    new PublishOptions(100, Duration.ofMinutes(5), Duration.ofHours(1), null, null, null, null);
            byte[] data = "{}".getBytes(StandardCharsets.UTF_8);
            StreamPosition first = null;
            for (int i = 0; i < 5; i++) {
                first = broker.publish("c", data, history).join();
            }
            redis.withSync(r -> r.save());
            for (int i = 0; i < 5; i++) {
                broker.publish("c", data, history).join();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> delivered.get() == 10);

            redis.kill();
            redis.start(); // loads the snapshot taken at offset 5
            await().atMost(Duration.ofSeconds(10)).until(() -> insufficient.get() >= 1);
            StreamPosition after = await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .until(() -> broker.publish("c", data, history).join(), p -> p != null);
            assertThat(after.epoch()).as("a new epoch after the rollback").isNotEqualTo(first.epoch());
            broker.close();
        }
    }
}
