package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.redis.testing.BrokerEventsAdapter;
import dev.switchboard.redis.testing.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Channels spread over two independent redis-servers ({@code redis.urls}): each lands on one
 * shard, every node agrees which, delivery crosses nodes on every shard, node messages go
 * through the first, and a shard that is down fails only its own channels.
 */
class RedisShardsIT {

    @RegisterExtension
    static RedisServerExtension first = RedisServerExtension.create();

    @RegisterExtension
    static RedisServerExtension second = RedisServerExtension.create();

    private static final byte[] DATA = "{}".getBytes(StandardCharsets.UTF_8);

    private static RedisEngine engine(String nodeId) {
        return RedisEngine.connect(
                RedisEngineOptions.builder(List.of(first.url(), second.url()))
                        .prefix("sh")
                        .build(),
                nodeId);
    }

    private static final class Recorder extends BrokerEventsAdapter {
        final Map<String, List<Long>> got = new ConcurrentHashMap<>();
        final List<String> nodeMessages = new CopyOnWriteArrayList<>();

        @Override
        public void handlePublication(String channel, Publication p, StreamPosition position) {
            got.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(p.offset());
        }

        @Override
        public void handleNodeMessage(byte[] message) {
            nodeMessages.add(new String(message, StandardCharsets.UTF_8));
        }

        int count(String channel) {
            return got.getOrDefault(channel, List.of()).size();
        }
    }

    @Test
    void channelsSpreadOverBothServersAndEachIsDeliveredAcrossNodes() {
        Recorder onB = new Recorder();
        try (RedisEngine a = engine("a");
                RedisEngine b = engine("b")) {
            a.broker().start(new Recorder());
            b.broker().start(onB);
            List<String> channels = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                channels.add("room-" + i);
                b.broker().subscribe("room-" + i).join();
            }
            for (String ch : channels) {
                for (int i = 0; i < 3; i++) {
                    a.broker().publish(ch, DATA, ClusterTraffic.HISTORY).join();
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> channels.stream().allMatch(ch -> onB.count(ch) == 3));
            long onFirst = (Long) first.command("DBSIZE");
            long onSecond = (Long) second.command("DBSIZE");
            System.out.printf(
                    "20 channels over two servers: %d keys on the first, %d on the second%n", onFirst, onSecond);
            assertThat(onFirst).isPositive();
            assertThat(onSecond).isPositive();
            for (String ch : channels) {
                assertThat(onB.got.get(ch)).containsExactly(1L, 2L, 3L);
                assertThat(a.broker()
                                .history(ch, new dev.switchboard.core.engine.HistoryFilter(null, 10, false))
                                .join()
                                .publications())
                        .hasSize(3);
            }
            a.broker()
                    .publishToNode("b", "hello".getBytes(StandardCharsets.UTF_8))
                    .join();
            await().atMost(Duration.ofSeconds(5)).until(() -> onB.nodeMessages.contains("hello"));
        }
    }

    @Test
    void aShardThatIsDownFailsOnlyItsOwnChannels() {
        try (RedisEngine a = engine("a")) {
            a.broker().start(new Recorder());
            String onSecond = null;
            String onFirst = null;
            for (int i = 0; onSecond == null || onFirst == null; i++) {
                String ch = "c" + i;
                if (ChannelShards.of(ch, 2) == 1) {
                    onSecond = ch;
                } else {
                    onFirst = ch;
                }
            }
            second.kill();
            try {
                a.broker().publish(onFirst, DATA, ClusterTraffic.HISTORY).join();
                String down = onSecond;
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.broker()
                                .publish(down, DATA, ClusterTraffic.HISTORY)
                                .join())
                        .isInstanceOf(CompletionException.class)
                        .hasMessageContaining("temporary");
                assertThat(a.broker().healthy()).isFalse();
            } finally {
                second.start();
            }
            String back = onSecond;
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try {
                    a.broker().publish(back, DATA, ClusterTraffic.HISTORY).join();
                    return true;
                } catch (CompletionException e) {
                    return false;
                }
            });
        }
    }
}
