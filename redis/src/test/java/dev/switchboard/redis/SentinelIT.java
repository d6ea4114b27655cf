package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.engine.HistoryFilter;
import dev.switchboard.core.engine.HistoryResult;
import dev.switchboard.core.engine.PublishOptions;
import dev.switchboard.redis.testing.BrokerEventsAdapter;
import dev.switchboard.redis.testing.RedisServerExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The engine reaches Redis through Sentinel with a {@code redis+sentinel://} URL. */
class SentinelIT {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    @TempDir
    Path dir;

    @Test
    void sentinelUrlFindsTheMasterAndTheEngineWorksThroughIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path conf = dir.resolve("sentinel.conf");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "port " + port,
                        "bind 127.0.0.1",
                        "dir " + dir,
                        "sentinel monitor main 127.0.0.1 " + redis.port() + " 1",
                        ""));
        Process sentinel = new ProcessBuilder(
                        dev.switchboard.redis.testing.RedisServerBinary.find().orElse("redis-server"),
                        conf.toString(),
                        "--sentinel")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sentinel.log").toFile())
                .start();
        try {
            waitForPort(port);
            RedisEngineOptions options = RedisEngineOptions.builder("redis+sentinel://127.0.0.1:" + port + "/0#main")
                    .prefix("sentinel")
                    .build();
            try (RedisConnections conns = new RedisConnections(options)) {
                RedisBroker broker = new RedisBroker(conns, "s1");
                broker.start(new BrokerEventsAdapter());
                PublishOptions o =
                        new PublishOptions(10, Duration.ofMinutes(1), Duration.ofHours(1), null, null, null, null);
                broker.publish("c", "{\"via\":\"sentinel\"}".getBytes(StandardCharsets.UTF_8), o)
                        .join();
                HistoryResult h =
                        broker.history("c", new HistoryFilter(null, -1, false)).join();
                assertThat(h.publications()).hasSize(1);
                assertThat(new String(h.publications().get(0).data(), StandardCharsets.UTF_8))
                        .contains("sentinel");
                // The data is on the master the sentinel pointed at.
                long exists = redis.withSync(r -> r.exists("sentinel:stream:{c}"));
                assertThat(exists).isEqualTo(1L);
                broker.close();
            }
        } finally {
            sentinel.destroyForcibly();
        }
    }

    private static void waitForPort(int port) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("sentinel did not start");
    }
}
