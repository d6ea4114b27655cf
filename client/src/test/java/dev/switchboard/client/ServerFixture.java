package dev.switchboard.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.transport.SwitchboardServer;
import dev.switchboard.transport.auth.TokenGenerator;
import dev.switchboard.transport.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.UnaryOperator;

/**
 * A real in-process Switchboard node (memory engine) on a free loopback port, with tokens for it
 * and a record of what clients sent with the {@code send} command.
 */
final class ServerFixture implements AutoCloseable {

    static final String SECRET = "client-sdk-test-secret-long-enough-for-hs256";
    static final ObjectMapper JSON = new ObjectMapper();

    /** Default namespace: history + forced recovery, presence, join/leave, subscribers may publish. */
    static final String CONFIG_YAML = String.join(
            "\n",
            "address: 127.0.0.1",
            "port: 0",
            "client:",
            "  ping_interval: 1s",
            "  pong_timeout: 800ms",
            "  expired_close_delay: 0s",
            "channel:",
            "  history_size: 1000",
            "  history_ttl: 300s",
            "  force_recovery: true",
            "  presence: true",
            "  join_leave: true",
            "  allow_publish_for_subscriber: true",
            "  allow_subscribe_for_client: true",
            "  allow_presence_for_subscriber: true",
            "  allow_history_for_subscriber: true",
            "  namespaces:",
            "    - name: private",
            "      allow_subscribe_for_client: false",
            "");

    /** A message a client sent with {@code send}: who, and the data as JSON. */
    record Sent(String user, String client, JsonNode data) {}

    final SwitchboardServer server;
    final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
    final TokenGenerator tokens = TokenGenerator.hmac(SECRET);

    private ServerFixture(int port, UnaryOperator<SwitchboardServer.Builder> customize) {
        ServerConfig config = ConfigLoader.loadYaml(
                CONFIG_YAML.replace("port: 0", "port: " + port),
                "client-test",
                Map.of("SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET, "SWITCHBOARD_API_KEY", "client-test-api-key"));
        SwitchboardServer.Builder b = SwitchboardServer.builder()
                .config(config)
                .onSend((info, data) -> sent.add(new Sent(info.user(), info.client(), parse(data))));
        server = customize.apply(b).build().start();
    }

    static ServerFixture start() {
        return new ServerFixture(0, b -> b);
    }

    /** A node on a given port (to restart one where its clients expect it). */
    static ServerFixture start(int port) {
        return new ServerFixture(port, b -> b);
    }

    static ServerFixture start(UnaryOperator<SwitchboardServer.Builder> customize) {
        return new ServerFixture(0, customize);
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/connection/websocket");
    }

    String token(String user) {
        return token(user, Duration.ofHours(1));
    }

    String token(String user, Duration ttl) {
        return tokens.connectToken(user, ttl, List.of(), null);
    }

    /** A builder for a client of this node as {@code user}, with short test-friendly delays. */
    ClientBuilder client(String user) {
        return SwitchboardClient.builder(uri())
                .token(token(user))
                .minReconnectDelay(Duration.ofMillis(100))
                .maxReconnectDelay(Duration.ofMillis(500))
                .commandTimeout(Duration.ofSeconds(5));
    }

    /** Publishes from the server side; returns the publication's offset. */
    long publish(String channel, String json) {
        StreamPosition p = server.node().publish(channel, json.getBytes(UTF_8)).join();
        return p.offset();
    }

    static JsonNode parse(byte[] data) {
        try {
            return JSON.readTree(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String data) {
        return parse(data.getBytes(UTF_8));
    }

    @Override
    public void close() {
        server.close();
    }
}
