package dev.switchboard.server.testing;

import dev.switchboard.transport.SwitchboardServer;
import dev.switchboard.transport.auth.TokenGenerator;
import dev.switchboard.transport.config.ServerConfig;
import java.time.Duration;
import java.util.List;

/** A configured test node on a free loopback port, and tokens for it. */
public final class TestServers {

    public static final String SECRET = "test-secret-that-is-long-enough-for-hs256!!";
    public static final String API_KEY = "test-api-key";

    private TestServers() {}

    /** The YAML the suites run against: the namespaces the conformance suite documents. */
    public static final String CONFIG_YAML = String.join(
            "\n",
            "address: 127.0.0.1",
            "port: 0",
            "channel:",
            "  history_size: 10000",
            "  history_ttl: 300s",
            "  force_recovery: true",
            "  presence: true",
            "  join_leave: true",
            "  allow_publish_for_subscriber: true",
            "  allow_subscribe_for_client: true",
            "  allow_presence_for_subscriber: true",
            "  allow_history_for_subscriber: true",
            "  namespaces:",
            "    - name: small",
            "      history_size: 3",
            "      history_ttl: 300s",
            "      force_recovery: true",
            "      allow_subscribe_for_client: true",
            "    - name: private",
            "      allow_subscribe_for_client: false",
            "      presence: true",
            "    - name: dm",
            "      allow_user_limited_channels: true",
            "    - name: doc",
            "      history_size: 100",
            "      history_ttl: 300s",
            "      force_recovery: true",
            "      allow_subscribe_for_client: true",
            "      allowed_delta_types: [fossil]",
            "");

    /** Starts a node with {@link #CONFIG_YAML} plus extra YAML lines, customised by the caller. */
    public static SwitchboardServer start(
            String extraYaml, java.util.function.UnaryOperator<SwitchboardServer.Builder> customize) {
        ServerConfig config = dev.switchboard.server.config.ConfigLoader.loadYaml(
                CONFIG_YAML + extraYaml,
                "test",
                java.util.Map.of("SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET, "SWITCHBOARD_API_KEY", API_KEY));
        return customize
                .apply(SwitchboardServer.builder().config(config))
                .build()
                .start();
    }

    /** Loads a whole YAML config (not {@link #CONFIG_YAML}) with the test secret and API key in the environment. */
    public static ServerConfig config(String yaml) {
        return dev.switchboard.server.config.ConfigLoader.loadYaml(
                yaml,
                "test",
                java.util.Map.of("SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET, "SWITCHBOARD_API_KEY", API_KEY));
    }

    public static SwitchboardServer start() {
        return start("", b -> b);
    }

    public static TokenGenerator tokens() {
        return TokenGenerator.hmac(SECRET);
    }

    public static String token(String user) {
        return tokens().connectToken(user, Duration.ofHours(1), List.of(), null);
    }

    public static String wsUrl(SwitchboardServer s) {
        return "ws://127.0.0.1:" + s.port() + "/connection/websocket";
    }

    public static String apiUrl(SwitchboardServer s) {
        return "http://127.0.0.1:" + s.port() + "/api";
    }
}
