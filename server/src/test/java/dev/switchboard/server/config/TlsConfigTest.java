package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.transport.config.ConfigException;
import dev.switchboard.transport.config.ServerConfig;
import dev.switchboard.transport.config.TlsConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code tls} section's values and the checks that need no files; reading and matching the
 * PEM files is {@code TlsIT}'s (it makes real certificates with openssl).
 */
class TlsConfigTest {

    private static ServerConfig load(String yaml, Map<String, String> env) {
        return ConfigLoader.loadYaml(yaml, "test.yaml", env);
    }

    @Test
    void defaultsAreTheDocumentedConstants() {
        TlsConfig tls = ServerConfig.defaults().tls();
        assertThat(tls.enabled()).isFalse().isEqualTo(TlsConfig.DEFAULT_ENABLED);
        assertThat(tls.certPemFile()).isNull();
        assertThat(tls.keyPemFile()).isNull();
        assertThat(tls.reloadInterval()).isEqualTo(Duration.ofSeconds(5)).isEqualTo(TlsConfig.DEFAULT_RELOAD_INTERVAL);
        assertThat(tls.handshakeTimeout())
                .isEqualTo(Duration.ofSeconds(10))
                .isEqualTo(TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT);
    }

    @Test
    void disabledTlsKeepsItsValuesAndReadsNoFile() {
        TlsConfig tls =
                load("""
                tls:
                  cert_pem_file: /nonexistent/fullchain.pem
                  reload_interval: 250ms
                """, Map.of("SWITCHBOARD_TLS_HANDSHAKE_TIMEOUT", "3s")).tls();
        assertThat(tls.enabled()).isFalse();
        assertThat(tls.certPemFile()).isEqualTo("/nonexistent/fullchain.pem");
        assertThat(tls.reloadInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(tls.handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void errorsNameTheKey() {
        assertThatThrownBy(() -> load("tls:\n  reload_interval: 0s\n", Map.of()))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("tls.reload_interval"));
        assertThatThrownBy(() -> load("tls:\n  enabled: true\n  cert_pem_file: a.pem\n", Map.of()))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("tls.key_pem_file"));
        assertThatThrownBy(() -> load(
                        "tls:\n  enabled: true\n",
                        Map.of(
                                "SWITCHBOARD_TLS_CERT_PEM_FILE",
                                "/nonexistent/a.pem",
                                "SWITCHBOARD_TLS_KEY_PEM_FILE",
                                "/nonexistent/b.pem")))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("tls.cert_pem_file"))
                .hasMessageContaining("cannot read /nonexistent/a.pem");
        assertThatThrownBy(() -> TlsConfig.builder().handshakeTimeout(Duration.ZERO))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("tls.handshake_timeout"));
    }
}
