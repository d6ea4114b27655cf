package dev.switchboard.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.transport.config.ConfigException;
import dev.switchboard.transport.config.EngineType;
import dev.switchboard.transport.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;

/** The {@code switchboard.*} properties through the key table: Spring's name forms, lists, namespaces, errors. */
class EnvironmentConfigTest {

    @Test
    void noPropertiesGiveTheStandaloneDefaults() {
        ServerConfig config = EnvironmentConfig.bind(env(Map.of()));
        ServerConfig defaults = ServerConfig.defaults();
        assertThat(config.port()).isEqualTo(defaults.port());
        assertThat(config.engine()).isEqualTo(EngineType.MEMORY);
        assertThat(config.node().pingInterval()).isEqualTo(defaults.node().pingInterval());
        assertThat(config.toString()).isEqualTo(defaults.toString());
    }

    @Test
    void kebabUnderscoreAndCamelCaseNamesAllSetTheKeyWithOurValueSyntax() {
        ServerConfig config = EnvironmentConfig.bind(env(Map.of(
                "switchboard.client.ping-interval", "1m30s",
                "switchboard.client.pong_timeout", "4s",
                "switchboard.client.queueMaxBytes", "1MiB",
                "switchboard.http-api.max-response-size", "64KiB",
                "switchboard.port", 0)));
        assertThat(config.node().pingInterval()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.node().pongTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(config.node().clientQueueMaxBytes()).isEqualTo(1 << 20);
        assertThat(config.httpApiMaxResponseSize()).isEqualTo(64 << 10);
        assertThat(config.port()).isZero();
    }

    @Test
    void theStandaloneServersEnvironmentVariablesWorkToo() {
        StandardEnvironment env = env(Map.of("switchboard.client.ping-interval", "20s"));
        env.getPropertySources()
                .replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of(
                                        "SWITCHBOARD_CLIENT_PONG_TIMEOUT", "7s",
                                        "SWITCHBOARD_API_KEY", "from-env",
                                        // Not keys, and not refused: a process may carry the standalone server's
                                        // variables.
                                        "SWITCHBOARD_CONFIG", "/etc/switchboard.yaml",
                                        "SWITCHBOARD_SOMETHING_ELSE", "x")));
        ServerConfig config = EnvironmentConfig.bind(env);
        assertThat(config.node().pongTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(config.node().pingInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.apiKey()).isEqualTo("from-env");
    }

    @Test
    void applicationYamlWithListsAndNamespaces() throws IOException {
        ServerConfig config = EnvironmentConfig.bind(yaml(String.join(
                "\n",
                "switchboard:",
                "  client:",
                "    subscribe-to-channels: [news, 'chat:lobby']",
                "  channel:",
                "    presence: true",
                "    namespaces:",
                "      - name: chat",
                "        history-size: 10",
                "        history_ttl: 300s",
                "        allowSubscribeForClient: true",
                "      - name: admin",
                "        presence: true",
                "")));
        assertThat(config.node().serverSideChannels()).containsExactly("news", "chat:lobby");
        ChannelOptions chat = config.toChannelRules().optionsFor("chat:lobby").orElseThrow();
        assertThat(chat.historySize()).isEqualTo(10);
        assertThat(chat.historyTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(chat.allowSubscribeForClient()).isTrue();
        assertThat(config.toChannelRules().optionsFor("admin:ops").orElseThrow().presence())
                .isTrue();
        assertThat(config.toChannelRules().optionsFor("news").orElseThrow().presence())
                .isTrue();
        assertThat(config.toChannelRules().optionsFor("nope:x")).isEmpty();
    }

    @Test
    void aListKeyMayBeOneCommaSeparatedString() {
        ServerConfig config = EnvironmentConfig.bind(env(Map.of("switchboard.client.subscribe-to-channels", "a, b")));
        assertThat(config.node().serverSideChannels()).containsExactly("a", "b");
    }

    @Test
    void aBlankValueIsUnset() {
        ServerConfig config =
                EnvironmentConfig.bind(env(Map.of("switchboard.api-key", " ", "switchboard.node-name", "")));
        assertThat(config.apiKey()).isNull();
        assertThat(config.node().name())
                .as("the core's default, the host name")
                .isEqualTo(
                        dev.switchboard.core.node.NodeOptions.builder().build().name());
    }

    @Test
    void aBadValueFailsNamingThePropertyAndWhatIsWrong() {
        assertThatThrownBy(() -> EnvironmentConfig.bind(env(Map.of("switchboard.client.ping-interval", "soon"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("switchboard.client.ping_interval");
                    assertThat(e.getMessage()).startsWith("switchboard.client.ping_interval: must be a duration");
                });
        assertThatThrownBy(() -> EnvironmentConfig.bind(env(Map.of("switchboard.port", "70000"))))
                .hasMessage("switchboard.port: must be between 0 and 65535, got 70000");
    }

    @Test
    void aCheckAcrossKeysNamesThePropertyToo() {
        assertThatThrownBy(() -> EnvironmentConfig.bind(env(
                        Map.of("switchboard.client.ping-interval", "5s", "switchboard.client.pong-timeout", "10s"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("switchboard.client.");
    }

    @Test
    void aMisspelledKeyIsRefusedInsteadOfLeavingTheDefault() {
        assertThatThrownBy(() -> EnvironmentConfig.bind(env(Map.of("switchboard.client.ping-intervall", "5s"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("switchboard.client.ping-intervall: unknown key");
        assertThatThrownBy(() -> EnvironmentConfig.bind(env(Map.of(
                        "switchboard.channel.namespaces[0].name", "chat",
                        "switchboard.channel.namespaces[0].histroy-size", "5"))))
                .hasMessage("switchboard.channel.namespaces[0].histroy_size: unknown key");
    }

    @Test
    void theStandaloneServersLogKeysAreRefusedPointingToBootsLogging() {
        assertThatThrownBy(() -> EnvironmentConfig.bind(env(Map.of("switchboard.log.level", "debug"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("switchboard.log.level: is read by the standalone server only")
                .hasMessageContaining("logging.level");
    }

    @Test
    void theStandaloneServersAdminKeysAreRefused() {
        assertThatThrownBy(() -> EnvironmentConfig.bind(env(Map.of("switchboard.admin.enabled", "true"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("switchboard.admin.enabled: is read by the standalone server only")
                .hasMessageContaining("no admin page");
    }

    @Test
    void aNamespaceWithoutANameIsRefused() {
        assertThatThrownBy(
                        () -> EnvironmentConfig.bind(env(Map.of("switchboard.channel.namespaces[0].presence", "true"))))
                .hasMessage("switchboard.channel.namespaces[0].name: is required");
    }

    @Test
    void theStartersOwnPropertiesAreNotUnknownKeys() {
        ServerConfig config =
                EnvironmentConfig.bind(env(Map.of("switchboard.enabled", "true", "switchboard.auto-startup", "false")));
        assertThat(config.port()).isEqualTo(ServerConfig.DEFAULT_PORT);
    }

    @Test
    void aSecretsValueNeverAppearsInAnError() {
        String secret = "s3cr3t-value-that-must-not-leak";
        assertThatThrownBy(() -> EnvironmentConfig.bind(
                        env(Map.of("switchboard.token.hmac-secret", secret, "switchboard.engine", "mongo"))))
                .hasMessageStartingWith("switchboard.engine:")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
    }

    private static StandardEnvironment env(Map<String, Object> properties) {
        StandardEnvironment env = new StandardEnvironment();
        // Only what the test gives: the real process environment must not leak into the test.
        env.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        env.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        env.getPropertySources().addFirst(new MapPropertySource("test", new LinkedHashMap<>(properties)));
        env.getPropertySources()
                .addLast(new SystemEnvironmentPropertySource(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of()));
        return env;
    }

    private static StandardEnvironment yaml(String yaml) throws IOException {
        StandardEnvironment env = env(Map.of());
        List<org.springframework.core.env.PropertySource<?>> sources = new YamlPropertySourceLoader()
                .load("application.yaml", new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
        sources.forEach(env.getPropertySources()::addFirst);
        return env;
    }

    @Test
    void keysNestedDeeperThanOneSectionBindFromProperties() {
        ServerConfig config = EnvironmentConfig.bind(env(Map.of(
                "switchboard.client.proxy.connect.enabled", "true",
                "switchboard.client.proxy.connect.endpoint", "http://127.0.0.1:9/c",
                "switchboard.client.proxy.connect.http-headers", "Cookie, X-Forwarded-For")));
        assertThat(config.proxies().connect().enabled()).isTrue();
        assertThat(config.proxies().connect().endpoint()).hasToString("http://127.0.0.1:9/c");
        assertThat(config.proxies().connect().httpHeaders()).containsExactly("cookie", "x-forwarded-for");
    }
}
