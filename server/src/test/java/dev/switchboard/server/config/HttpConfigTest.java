package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.transport.config.HttpConfig;
import dev.switchboard.transport.config.ServerConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code http} section: defaults, file and environment values, and errors naming the key. */
class HttpConfigTest {

    private static ServerConfig load(String yaml, Map<String, String> env) {
        return ConfigLoader.loadYaml(yaml, "test.yaml", env);
    }

    @Test
    void defaultsAreTheDocumentedConstants() {
        HttpConfig http = ServerConfig.defaults().http();
        assertThat(http.headerTimeout()).isEqualTo(Duration.ofSeconds(10)).isEqualTo(HttpConfig.DEFAULT_HEADER_TIMEOUT);
        assertThat(http.bodyTimeout()).isEqualTo(Duration.ofSeconds(30)).isEqualTo(HttpConfig.DEFAULT_BODY_TIMEOUT);
        assertThat(http.idleTimeout()).isEqualTo(Duration.ofSeconds(75)).isEqualTo(HttpConfig.DEFAULT_IDLE_TIMEOUT);
        assertThat(http.maxConnectionsPerIp()).isZero();
        assertThat(http.maxBodySize()).isEqualTo(4 * 1024 * 1024);
    }

    @Test
    void fileValuesUseTheDurationAndSizeSyntax() {
        HttpConfig http = load("""
            http:
              header_timeout: 500ms
              body_timeout: 2s
              idle_timeout: 1m
              max_connections_per_ip: 50
              max_body_size: 64KiB
            """, Map.of()).http();
        assertThat(http.headerTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(http.bodyTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(http.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(http.maxConnectionsPerIp()).isEqualTo(50);
        assertThat(http.maxBodySize()).isEqualTo(65_536);
    }

    @Test
    void environmentOverridesEveryHttpKey() {
        HttpConfig http = load(
                        "http: {idle_timeout: 5s}\n",
                        Map.of(
                                "SWITCHBOARD_HTTP_HEADER_TIMEOUT", "3s",
                                "SWITCHBOARD_HTTP_BODY_TIMEOUT", "4s",
                                "SWITCHBOARD_HTTP_IDLE_TIMEOUT", "90s",
                                "SWITCHBOARD_HTTP_MAX_CONNECTIONS_PER_IP", "7",
                                "SWITCHBOARD_HTTP_MAX_BODY_SIZE", "1MiB"))
                .http();
        assertThat(http.headerTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(http.bodyTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(http.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(http.maxConnectionsPerIp()).isEqualTo(7);
        assertThat(http.maxBodySize()).isEqualTo(1 << 20);
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> load("http: {header_timeout: 0s}\n", Map.of()))
                .hasMessageStartingWith("http.header_timeout: must be > 0");
        assertThatThrownBy(() -> load("http: {body_timeout: 0}\n", Map.of()))
                .hasMessageStartingWith("http.body_timeout: must be > 0");
        assertThatThrownBy(() -> load("", Map.of("SWITCHBOARD_HTTP_IDLE_TIMEOUT", "soon")))
                .hasMessageStartingWith("http.idle_timeout (from SWITCHBOARD_HTTP_IDLE_TIMEOUT):");
        assertThatThrownBy(() -> load("http: {max_connections_per_ip: -1}\n", Map.of()))
                .hasMessage("http.max_connections_per_ip: must be >= 0, got -1");
        assertThatThrownBy(() -> load("http: {max_body_size: 100}\n", Map.of()))
                .hasMessage("http.max_body_size: must be >= 1024, got 100");
        assertThatThrownBy(() -> load("http: {max_body: 1}\n", Map.of())).hasMessage("http.max_body: unknown key");
    }
}
