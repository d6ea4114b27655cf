package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.transport.config.AdminConfig;
import dev.switchboard.transport.config.ConfigException;
import dev.switchboard.transport.config.ServerConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code admin} section: defaults, the refusal to enable it without a password, and no secret in print. */
class AdminConfigTest {

    private static final String PASSWORD = "pw-S3CRET-admin-0001";
    private static final String SECRET = "secret-S3CRET-admin-that-is-32-chars-long";

    private static ServerConfig load(String yaml, Map<String, String> env) {
        return ConfigLoader.loadYaml(yaml, "test.yaml", env);
    }

    @Test
    void offByDefault() {
        AdminConfig admin = ServerConfig.defaults().admin();
        assertThat(admin.enabled()).isFalse();
        assertThat(admin.password()).isNull();
        assertThat(admin.secret()).isNull();
        assertThat(admin.sessionTtl()).isEqualTo(Duration.ofHours(8)).isEqualTo(AdminConfig.DEFAULT_SESSION_TTL);
    }

    @Test
    void enabledWithoutAPasswordRefusesToStartAndSaysWhy() {
        assertThatThrownBy(() -> load("admin:\n  enabled: true\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("admin.password")
                .hasMessageContaining("must be set when admin.enabled is true");
        assertThatThrownBy(
                        () -> load("", Map.of("SWITCHBOARD_ADMIN_ENABLED", "true", "SWITCHBOARD_ADMIN_PASSWORD", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("admin.password");
    }

    @Test
    void keysFromYamlAndEnvironment() {
        AdminConfig admin = load(
                        "admin:\n  enabled: true\n  session_ttl: 30m\n",
                        Map.of("SWITCHBOARD_ADMIN_PASSWORD", PASSWORD, "SWITCHBOARD_ADMIN_SECRET", SECRET))
                .admin();
        assertThat(admin.enabled()).isTrue();
        assertThat(admin.password()).isEqualTo(PASSWORD);
        assertThat(admin.secret()).isEqualTo(SECRET);
        assertThat(admin.sessionTtl()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void aShortSecretOrAnOddTtlIsRefusedWithoutEchoingTheSecret() {
        assertThatThrownBy(() -> load("", Map.of("SWITCHBOARD_ADMIN_SECRET", "short-S3CRET")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("admin.secret")
                .hasMessageContaining("at least 32 characters")
                .hasMessageNotContaining("short-S3CRET");
        assertThatThrownBy(() -> load("admin:\n  session_ttl: 10s\n", Map.of()))
                .hasMessageContaining("admin.session_ttl");
        assertThatThrownBy(() -> load("admin:\n  session_ttl: 1000h\n", Map.of()))
                .hasMessageContaining("admin.session_ttl");
    }

    @Test
    void printingTheConfigShowsNeitherThePasswordNorTheSecret() {
        ServerConfig config = load(
                "admin:\n  enabled: true\n",
                Map.of("SWITCHBOARD_ADMIN_PASSWORD", PASSWORD, "SWITCHBOARD_ADMIN_SECRET", SECRET));
        assertThat(config.toString())
                .contains("admin=AdminConfig{enabled=true, password=<redacted>, secret=<redacted>")
                .doesNotContain(PASSWORD)
                .doesNotContain(SECRET);
    }
}
