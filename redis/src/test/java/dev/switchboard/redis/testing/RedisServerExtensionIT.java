package dev.switchboard.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fixture itself: crashes and restarts behave as the tests built on it assume. */
class RedisServerExtensionIT {

    @RegisterExtension
    static RedisServerExtension plain = RedisServerExtension.create();

    @RegisterExtension
    static RedisServerExtension aof = RedisServerExtension.withAof();

    @Test
    void killAndRestartWithAofKeepsAcknowledgedWrites() {
        int port = aof.port();
        aof.command("SET", "k", "v");
        aof.command("XADD", "s", "1-1", "f", "x");

        aof.kill();
        assertThat(aof.isRunning()).isFalse();
        aof.start();

        assertThat(aof.port()).isEqualTo(port);
        assertThat(aof.command("GET", "k")).isEqualTo("v");
        assertThat(aof.command("XLEN", "s")).isEqualTo(1L);
    }

    @Test
    void killAndRestartWithoutAofLosesEverything() {
        int port = plain.port();
        plain.command("SET", "k", "v");

        plain.kill();
        assertThat(plain.isRunning()).isFalse();
        plain.start();

        assertThat(plain.port()).isEqualTo(port);
        assertThat(plain.command("GET", "k")).isNull();
        assertThat(plain.command("DBSIZE")).isEqualTo(0L);
    }

    @Test
    void startEmptyDropsThePersistedData() {
        aof.command("SET", "gone", "1");
        aof.kill();
        aof.startEmpty();
        assertThat(aof.command("EXISTS", "gone")).isEqualTo(0L);
    }

    @Test
    void gracefulStopAndStartOnTheSamePort() {
        aof.command("SET", "kept", "1");
        aof.stop();
        assertThat(aof.isRunning()).isFalse();
        aof.start();
        assertThat(aof.command("GET", "kept")).isEqualTo("1");
    }

    @Test
    void clientKillPubSubDropsSubscribers() {
        RedisClient client = RedisClient.create(plain.url());
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub(StringCodec.UTF8)) {
            sub.sync().subscribe("news");
            assertThat(plain.clientKillPubSub()).isEqualTo(1L);
        } finally {
            client.shutdown(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void commandRepliesArePlainJavaValues() {
        assertThat(plain.command("SET", "n", "1")).isEqualTo("OK");
        assertThat(plain.command("INCR", "n")).isEqualTo(2L);
        assertThat(plain.command("GET", "missing")).isNull();
        assertThat(plain.command("EVAL", "return {1, 'a', {2, 'b'}, {}}", "0"))
                .isEqualTo(List.of(1L, "a", List.of(2L, "b"), List.of()));
        plain.flushAll();
        assertThat(plain.command("DBSIZE")).isEqualTo(0L);
    }
}
