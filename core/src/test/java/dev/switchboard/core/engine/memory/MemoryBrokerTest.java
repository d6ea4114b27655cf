package dev.switchboard.core.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.engine.PublishOptions;
import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.core.engine.contract.ManualClock;
import dev.switchboard.core.engine.contract.RecordingHandler;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only the memory broker does: its sweep, and a publish straight after expiry. What every
 * broker does is in {@link MemoryBrokerContractTest}.
 */
class MemoryBrokerTest {

    private final ManualClock clock = new ManualClock();
    private final MemoryBroker broker = new MemoryBroker(clock);

    private static PublishOptions history(Duration metaTtl, String idempotencyKey) {
        return new PublishOptions(
                10, Duration.ofSeconds(5), metaTtl, null, null, idempotencyKey, Duration.ofSeconds(5));
    }

    @BeforeEach
    void start() {
        broker.start(new RecordingHandler());
    }

    private StreamPosition publish(String ch, PublishOptions o) {
        return broker.publish(ch, "{}".getBytes(), o).join();
    }

    @Test
    void publishAfterTheStreamExpiredStartsANewEpochWithoutAnyRead() {
        StreamPosition a = publish("c", history(Duration.ofHours(1), null));
        clock.advance(Duration.ofHours(2));
        StreamPosition b = publish("c", history(Duration.ofHours(1), null));
        assertThat(b.epoch()).isNotEqualTo(a.epoch());
        assertThat(b.offset()).isEqualTo(1);
    }

    @Test
    void sweepDropsExpiredStreamsAndIdempotencyKeysOnly() {
        publish("short", history(Duration.ofSeconds(10), "k1"));
        StreamPosition kept = publish("long", history(Duration.ofHours(1), null));
        assertThat(broker.streamCount()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(10));
        broker.sweep();
        assertThat(broker.streamCount()).isEqualTo(1);
        assertThat(publish("long", history(Duration.ofHours(1), null)).offset()).isEqualTo(kept.offset() + 1);
        assertThat(publish("short", history(Duration.ofSeconds(10), "k1")).offset())
                .as("a new stream; the expired key no longer holds the publish back")
                .isEqualTo(1);
        assertThat(broker.streamCount()).isEqualTo(2);
    }
}
