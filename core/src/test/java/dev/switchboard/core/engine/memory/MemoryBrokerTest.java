package dev.switchboard.core.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.engine.BrokerEventHandler;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.HistoryFilter;
import dev.switchboard.core.engine.HistoryResult;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.PublishOptions;
import dev.switchboard.core.engine.StreamPosition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryBrokerTest {

    /** A clock tests move by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final MemoryBroker broker = new MemoryBroker(clock);
    private final List<Publication> delivered = new ArrayList<>();

    private static PublishOptions history(int size, Duration ttl) {
        return new PublishOptions(size, ttl, Duration.ofHours(1), null, null, null, null);
    }

    @BeforeEach
    void start() {
        broker.start(new BrokerEventHandler() {
            @Override
            public void handlePublication(String channel, Publication publication, StreamPosition position) {
                delivered.add(publication);
            }

            @Override
            public void handleJoin(String channel, ClientInfo info) {
            }

            @Override
            public void handleLeave(String channel, ClientInfo info) {
            }

            @Override
            public void handleInsufficientState(String channel) {
            }

            @Override
            public void handleNodeMessage(byte[] message) {
            }

            @Override
            public void handleControl(byte[] message) {
            }
        });
    }

    private StreamPosition publish(String ch, String data, PublishOptions o) {
        return broker.publish(ch, data.getBytes(), o).join();
    }

    @Test
    void offsetsIncreaseByOneWithinAnEpoch() {
        StreamPosition a = publish("c", "1", history(10, Duration.ofMinutes(1)));
        StreamPosition b = publish("c", "2", history(10, Duration.ofMinutes(1)));
        assertThat(a.offset()).isEqualTo(1);
        assertThat(b.offset()).isEqualTo(2);
        assertThat(b.epoch()).isEqualTo(a.epoch()).isNotEmpty();
    }

    @Test
    void historyIsTrimmedToItsSize() {
        for (int i = 0; i < 5; i++) {
            publish("c", "" + i, history(3, Duration.ofMinutes(1)));
        }
        HistoryResult h = broker.history("c", new HistoryFilter(null, HistoryFilter.NO_LIMIT, false)).join();
        assertThat(h.publications()).extracting(Publication::offset).containsExactly(3L, 4L, 5L);
        assertThat(h.position().offset()).isEqualTo(5);
    }

    @Test
    void historyExpiresAfterItsTtlButThePositionStays() {
        publish("c", "1", history(10, Duration.ofSeconds(5)));
        clock.now = clock.now.plusSeconds(6);
        HistoryResult h = broker.history("c", new HistoryFilter(null, HistoryFilter.NO_LIMIT, false)).join();
        assertThat(h.publications()).isEmpty();
        assertThat(h.position().offset()).isEqualTo(1);
    }

    @Test
    void lostStreamMetaStartsANewEpoch() {
        StreamPosition a = publish("c", "1", history(10, Duration.ofSeconds(5)));
        clock.now = clock.now.plus(Duration.ofHours(2));
        StreamPosition b = publish("c", "2", history(10, Duration.ofSeconds(5)));
        assertThat(b.epoch()).isNotEqualTo(a.epoch());
        assertThat(b.offset()).isEqualTo(1);
    }

    @Test
    void sinceAndReverseSelectTheRightRange() {
        for (int i = 0; i < 6; i++) {
            publish("c", "" + i, history(10, Duration.ofMinutes(1)));
        }
        String epoch = broker.history("c", HistoryFilter.POSITION_ONLY).join().position().epoch();
        assertThat(broker.history("c", new HistoryFilter(new StreamPosition(3, epoch), 2, false)).join().publications())
            .extracting(Publication::offset).containsExactly(4L, 5L);
        assertThat(broker.history("c", new HistoryFilter(null, 2, true)).join().publications())
            .extracting(Publication::offset).containsExactly(6L, 5L);
        assertThat(broker.history("c", HistoryFilter.POSITION_ONLY).join().publications()).isEmpty();
    }

    @Test
    void idempotencyKeyPublishesOnce() {
        broker.subscribe("c").join();
        PublishOptions o = new PublishOptions(10, Duration.ofMinutes(1), Duration.ofHours(1), null, null, "k1", null);
        StreamPosition a = publish("c", "1", o);
        StreamPosition b = publish("c", "1", o);
        assertThat(b).isEqualTo(a);
        assertThat(delivered).hasSize(1);
        assertThat(broker.history("c", new HistoryFilter(null, -1, false)).join().publications()).hasSize(1);
    }

    @Test
    void onlySubscribedChannelsAreDelivered() {
        publish("c", "1", history(0, Duration.ZERO));
        assertThat(delivered).isEmpty();
        broker.subscribe("c").join();
        publish("c", "2", history(0, Duration.ZERO));
        assertThat(delivered).hasSize(1);
        broker.unsubscribe("c").join();
        publish("c", "3", history(0, Duration.ZERO));
        assertThat(delivered).hasSize(1);
    }
}
