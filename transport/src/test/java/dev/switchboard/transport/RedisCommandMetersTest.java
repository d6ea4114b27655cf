package dev.switchboard.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Redis latencies are dropped until bound, then timed by command type, with a bounded label. */
class RedisCommandMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void latenciesBeforeBindAreDroppedAndAfterwardsTimedByCommand() {
        RedisCommandMeters meters = new RedisCommandMeters();
        assertThat(meters.isEnabled()).as("Lettuce asks before bind").isTrue();
        meters.recordCommandLatency(null, null, CommandType.PUBLISH, 1_000, 2_000);
        assertThat(registry.find("switchboard_redis_command").timers()).isEmpty();
        meters.bind(registry);
        meters.recordCommandLatency(null, null, CommandType.PUBLISH, 1_000, 2_000_000);
        meters.recordCommandLatency(null, null, CommandType.EVALSHA, 1_000, 2_000_000);
        assertThat(registry.get("switchboard_redis_command")
                        .tag("command", "PUBLISH")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("switchboard_redis_command")
                        .tag("command", "EVALSHA")
                        .timer()
                        .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
                .isEqualTo(2.0);
    }

    @Test
    void commandTypesPastTheCapAreOther() {
        RedisCommandMeters meters = new RedisCommandMeters();
        meters.bind(registry);
        for (int i = 0; i < RedisCommandMeters.MAX_COMMANDS + 10; i++) {
            meters.recordCommandLatency(null, null, keyword("CMD" + i), 0, 1_000);
        }
        assertThat(registry.find("switchboard_redis_command").timers()).hasSize(RedisCommandMeters.MAX_COMMANDS + 1);
        assertThat(registry.get("switchboard_redis_command")
                        .tag("command", "other")
                        .timer()
                        .count())
                .isEqualTo(10);
    }

    private static ProtocolKeyword keyword(String name) {
        return new ProtocolKeyword() {
            @Override
            public byte[] getBytes() {
                return name.getBytes(StandardCharsets.US_ASCII);
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
