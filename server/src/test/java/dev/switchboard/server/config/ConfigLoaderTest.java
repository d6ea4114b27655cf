package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.transport.IoTransport;
import dev.switchboard.transport.config.ConfigAssertions;
import dev.switchboard.transport.config.ConfigException;
import dev.switchboard.transport.config.ConfigKeys;
import dev.switchboard.transport.config.EngineType;
import dev.switchboard.transport.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final Map<String, String> NO_ENV = Map.of();

    private static ServerConfig load(String yaml) {
        return ConfigLoader.loadYaml(yaml, "test.yaml", NO_ENV);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertFails(String yaml, Map<String, String> env) {
        return assertThatThrownBy(() -> ConfigLoader.loadYaml(yaml, "test.yaml", env))
                .isInstanceOf(ConfigException.class);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertFails(String yaml) {
        return assertFails(yaml, NO_ENV);
    }

    @Test
    void noFileAndNoEnvironmentGivesTheDefaults() {
        ConfigAssertions.assertSameSettings(ConfigLoader.load(null, NO_ENV), ServerConfig.defaults());
        ConfigAssertions.assertSameSettings(load(""), ServerConfig.defaults());
        ConfigAssertions.assertSameSettings(load("# only a comment\n"), ServerConfig.defaults());
    }

    @Test
    void readsTopLevelAndSectionKeys() {
        ServerConfig c = load("""
            port: 9000
            address: 127.0.0.1
            node_name: edge-1
            engine: memory
            api_key: k
            allow_anonymous_connect: true
            token: {hmac_secret: abc, audience: sb, issuer: me}
            client:
              ping_interval: 20s
              pong_timeout: 300ms
              queue_max_bytes: 2MiB
              max_message_size: 64KiB
              subscribe_to_channels: [news]
            presence: {ttl: 2m, update_interval: 30}
            http_api: {enabled: false}
            metrics: {enabled: false}
            health: {enabled: false}
            shutdown_timeout: 1m
            io_threads: 3
            """);
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.ioThreads()).isEqualTo(3);
        assertThat(c.effectiveIoThreads()).isEqualTo(3);
        assertThat(c.address()).isEqualTo("127.0.0.1");
        assertThat(c.node().name()).isEqualTo("edge-1");
        assertThat(c.apiKey()).isEqualTo("k");
        assertThat(c.node().allowAnonymous()).isTrue();
        assertThat(c.token().hmacSecret()).isEqualTo("abc");
        assertThat(c.token().audience()).isEqualTo("sb");
        assertThat(c.token().issuer()).isEqualTo("me");
        assertThat(c.node().pingInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.node().pongTimeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(c.node().clientQueueMaxBytes()).isEqualTo(2 << 20);
        assertThat(c.clientMaxMessageSize()).isEqualTo(65_536);
        assertThat(c.node().serverSideChannels()).containsExactly("news");
        assertThat(c.node().presenceTtl()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.node().presenceUpdateInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.httpApiEnabled()).isFalse();
        assertThat(c.metricsEnabled()).isFalse();
        assertThat(c.healthEnabled()).isFalse();
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void parsesDefaultNamespaceOptionsAndNamespacesInOrder() {
        ServerConfig c = load("""
            channel:
              max_length: 64
              allow_subscribe_for_client: true
              namespaces:
                - name: chat
                  history_size: 100
                  history_ttl: 5m
                  history_meta_ttl: 1h
                  force_recovery: true
                  presence: true
                  join_leave: true
                  allow_publish_for_subscriber: true
                  recovery_max_publication_limit: 50
                - name: jobs
                  history_size: 10
                  history_ttl: 60
                  allow_recovery: true
                  allow_positioning: true
                  allow_user_limited_channels: true
            """);
        assertThat(c.channel().maxLength()).isEqualTo(64);
        assertThat(c.channel().defaultOptions().allowSubscribeForClient()).isTrue();
        assertThat(c.channel().namespaces()).containsOnlyKeys("chat", "jobs");
        assertThat(c.channel().namespaces().keySet()).containsExactly("chat", "jobs");
        ChannelOptions chat = c.channel().namespaces().get("chat");
        assertThat(chat.historySize()).isEqualTo(100);
        assertThat(chat.historyTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(chat.historyMetaTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(chat.forceRecovery()).isTrue();
        assertThat(chat.presence()).isTrue();
        assertThat(chat.joinLeave()).isTrue();
        assertThat(chat.allowPublishForSubscriber()).isTrue();
        assertThat(chat.recoveryMaxPublicationLimit()).isEqualTo(50);
        assertThat(chat.allowSubscribeForClient())
                .as("namespaces do not inherit the default options")
                .isFalse();
        ChannelOptions jobs = c.channel().namespaces().get("jobs");
        assertThat(jobs.historyTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(jobs.allowRecovery()).isTrue();
        assertThat(jobs.allowPositioning()).isTrue();
        assertThat(jobs.allowUserLimitedChannels()).isTrue();
        assertThat(c.toChannelRules().optionsFor("jobs:42")).get().isSameAs(jobs);
        assertThat(c.toChannelRules().optionsFor("unknown:1")).isEmpty();
    }

    @Test
    void environmentBeatsTheFile() {
        ServerConfig c = ConfigLoader.loadYaml(
                """
            port: 9000
            node_name: from-file
            token: {hmac_secret: from-file}
            client: {ping_interval: 30s}
            """,
                "test.yaml",
                Map.of(
                        "SWITCHBOARD_PORT", "9100",
                        "SWITCHBOARD_NODE_NAME", "from-env",
                        "SWITCHBOARD_TOKEN_HMAC_SECRET", "from-env-secret",
                        "SWITCHBOARD_API_KEY", "env-key",
                        "SWITCHBOARD_ALLOW_ANONYMOUS_CONNECT", "true",
                        "SWITCHBOARD_CLIENT_PING_INTERVAL", "40s",
                        "SWITCHBOARD_CLIENT_SUBSCRIBE_TO_CHANNELS", "a, b",
                        "SWITCHBOARD_CLIENT_ALLOWED_ORIGINS", "https://a.example.com, https://*.b.example.com",
                        "SWITCHBOARD_METRICS_ENABLED", "false"));
        assertThat(c.port()).isEqualTo(9100);
        assertThat(c.node().name()).isEqualTo("from-env");
        assertThat(c.token().hmacSecret()).isEqualTo("from-env-secret");
        assertThat(c.apiKey()).isEqualTo("env-key");
        assertThat(c.node().allowAnonymous()).isTrue();
        assertThat(c.node().pingInterval()).isEqualTo(Duration.ofSeconds(40));
        assertThat(c.node().serverSideChannels()).containsExactly("a", "b");
        assertThat(c.clientAllowedOrigins()).containsExactly("https://a.example.com", "https://*.b.example.com");
        assertThat(c.metricsEnabled()).isFalse();
    }

    @Test
    void emptyEnvironmentVariablesAreIgnored() {
        ServerConfig c = ConfigLoader.loadYaml("port: 9000\n", "test.yaml", Map.of("SWITCHBOARD_PORT", ""));
        assertThat(c.port()).isEqualTo(9000);
    }

    @Test
    void badEnvironmentValueNamesKeyAndVariable() {
        assertFails("", Map.of("SWITCHBOARD_PORT", "eighty"))
                .hasMessage("port (from SWITCHBOARD_PORT): must be a whole number, got \"eighty\"");
        assertFails("", Map.of("SWITCHBOARD_ALLOW_ANONYMOUS_CONNECT", "maybe"))
                .hasMessageStartingWith(
                        "allow_anonymous_connect (from SWITCHBOARD_ALLOW_ANONYMOUS_CONNECT): must be true or false");
    }

    @Test
    void unknownKeyErrorNamesTheFullPath() {
        assertFails("""
            channel:
              namespaces:
                - name: ok
                - name: typo
                  histroy_size: 10
            """)
                .hasMessage("channel.namespaces[1].histroy_size: unknown key")
                .extracting(e -> ((ConfigException) e).key())
                .isEqualTo("channel.namespaces[1].histroy_size");
        assertFails("prot: 1\n").hasMessage("prot: unknown key");
        assertFails("client: {ping_intervall: 1s}\n").hasMessage("client.ping_intervall: unknown key");
        assertFails("http_api: {enable: true}\n").hasMessage("http_api.enable: unknown key");
    }

    @Test
    void unknownKeyIsReportedBeforeItsConsequences() {
        // The typo leaves history off; the unknown key, not "recovery needs history", is the useful message.
        assertFails("""
            channel:
              history_sise: 10
              history_ttl: 1m
              force_recovery: true
            """).hasMessage("channel.history_sise: unknown key");
    }

    @Test
    void badDurationNamesTheKey() {
        assertFails("client: {ping_interval: 25 seconds}\n")
                .hasMessageStartingWith("client.ping_interval: must be a duration like");
        assertFails("channel: {namespaces: [{name: a, history_ttl: -5}]}\n")
                .hasMessage("channel.namespaces[0].history_ttl: must not be negative, got -5");
        assertFails("shutdown_timeout: 0s\n").hasMessageStartingWith("shutdown_timeout: must be > 0");
    }

    @Test
    void ioThreadsDefaultToOnePerProcessorAndRefuseNegatives() {
        assertThat(ServerConfig.defaults().effectiveIoThreads())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        assertFails("io_threads: -1\n").hasMessageStartingWith("io_threads:");
    }

    @Test
    void negativeOrMistypedSizesNameTheKey() {
        assertFails("client: {queue_max_bytes: -1}\n").hasMessage("client.queue_max_bytes: must be > 0, got -1");
        assertFails("channel: {namespaces: [{name: a, history_size: -3}]}\n")
                .hasMessage("channel.namespaces[0].history_size: must be >= 0, got -3");
        assertFails("client: {channel_limit: many}\n")
                .hasMessage("client.channel_limit: must be a whole number, got \"many\"");
        assertFails("client: {max_message_size: 10 MB}\n")
                .hasMessageStartingWith("client.max_message_size: must be a size");
        assertFails("client: {max_message_size: 100}\n")
                .hasMessage("client.max_message_size: must be >= 1024, got 100");
        assertFails("port: 1.5\n").hasMessage("port: must be a whole number, got 1.5");
    }

    @Test
    void recoveryWithoutHistoryNamesTheKey() {
        assertFails("""
            channel:
              namespaces:
                - name: chat
                  history_size: 10
                  force_recovery: true
            """).hasMessageStartingWith("channel.namespaces[0].force_recovery: needs history");
        assertFails("channel: {allow_recovery: true}\n")
                .hasMessageStartingWith("channel.allow_recovery: needs history");
    }

    @Test
    void wrongShapesNameTheKey() {
        assertFails("client: 5\n").hasMessage("client: must be a mapping of keys, got a number");
        assertFails("channel: {namespaces: {name: a}}\n")
                .hasMessage("channel.namespaces: must be a list, got a mapping");
        assertFails("channel: {namespaces: [chat]}\n")
                .hasMessage("channel.namespaces[0]: must be a mapping of keys, got a string");
        assertFails("channel: {namespaces: [{history_size: 1}]}\n")
                .hasMessage("channel.namespaces[0].name: is required");
        assertFails("channel: {namespaces: [{name: 'bad name'}]}\n")
                .hasMessageStartingWith("channel.namespaces[0].name:");
        assertFails("engine: postgres\n").hasMessage("engine: must be one of memory, redis, got \"postgres\"");
        assertFails("- port\n").hasMessageContaining("top level must be a mapping");
    }

    @Test
    void redisEngineIsSelectedWithItsUrlAndPrefix() {
        ServerConfig c = ConfigLoader.loadYaml(
                "engine: redis\nredis: {url: 'redis+sentinel://s1:26379,s2:26379/0#main', prefix: app1}\n",
                "t",
                Map.of());
        assertThat(c.engine()).isEqualTo(EngineType.REDIS);
        assertThat(c.redisUrl()).startsWith("redis+sentinel://");
        assertThat(c.redisPrefix()).isEqualTo("app1");
        assertFails("engine: redis\nredis: {prefix: 'has space'}\n").hasMessageStartingWith("redis.prefix:");
        assertFails("", Map.of("SWITCHBOARD_ENGINE", "redis", "SWITCHBOARD_REDIS_URL", "http://cache"))
                .hasMessageStartingWith("redis.url (from SWITCHBOARD_REDIS_URL):");
    }

    @Test
    void ioTransportIsReadFromTheFileAndTheEnvironment() {
        assertThat(ConfigLoader.loadYaml("", "t", Map.of()).ioTransport()).isEqualTo(IoTransport.AUTO);
        assertThat(ConfigLoader.loadYaml("io_transport: nio\n", "t", Map.of()).ioTransport())
                .isEqualTo(IoTransport.NIO);
        assertThat(ConfigLoader.loadYaml("io_transport: auto\n", "t", Map.of("SWITCHBOARD_IO_TRANSPORT", "NIO"))
                        .ioTransport())
                .isEqualTo(IoTransport.NIO);
        assertFails("io_transport: kqueue\n")
                .hasMessage("io_transport: must be one of auto, nio, epoll, io_uring, got \"kqueue\"");
        for (IoTransport t : List.of(IoTransport.EPOLL, IoTransport.IO_URING)) {
            if (t.isAvailable()) {
                assertThat(ConfigLoader.loadYaml("io_transport: " + t.configName() + "\n", "t", Map.of())
                                .ioTransport())
                        .isEqualTo(t);
            } else {
                // Where it does not load, the config is refused before anything starts (and by checkconfig).
                assertFails("io_transport: " + t.configName() + "\n")
                        .hasMessageStartingWith("io_transport: " + t.configName() + " is not available here: ");
            }
        }
    }

    @Test
    void brokenYamlGivesPositionButNeverEchoesTheLine() {
        String secret = "TOPSECRETVALUE1234567890";
        assertFails("token: {hmac_secret: " + secret + "\nport: 1\n")
                .hasMessageStartingWith("test.yaml: invalid YAML at line")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
        assertFails("port: 1\nport: 2\n").hasMessage("test.yaml: duplicate key 'port' at line 2, column 5");
    }

    @Test
    void errorsAboutSecretsNeverContainTheSecret() {
        assertFails("token: {hmac_secret: [not, a, string]}\n")
                .hasMessage("token.hmac_secret: must be a string, got a list");
    }

    @Test
    void missingConfigFileIsAClearError(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(missing, NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file " + missing + " does not exist");
    }

    @Test
    void configFileComesFromOptionThenEnvironment() {
        Map<String, String> env = Map.of("SWITCHBOARD_CONFIG", "/etc/sb.yaml");
        assertThat(ConfigLoader.configFile(Path.of("cli.yaml"), env)).isEqualTo(Path.of("cli.yaml"));
        assertThat(ConfigLoader.configFile(null, env)).isEqualTo(Path.of("/etc/sb.yaml"));
        assertThat(ConfigLoader.configFile(null, NO_ENV)).isNull();
    }

    @Test
    void publicKeysAreReadAsInlinePemOrFileAndBadOnesNameTheKey(@TempDir Path dir) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes())
                        .encodeToString(gen.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Path file = Files.writeString(dir.resolve("rsa.pub"), pem);

        ServerConfig inline = ConfigLoader.loadYaml("", "t", Map.of("SWITCHBOARD_TOKEN_RSA_PUBLIC_KEY", pem));
        assertThat(inline.token().hasAnyKey()).isTrue();
        assertThat(inline.token().toString()).contains("<inline PEM>");
        ServerConfig fromFile = load("token: {rsa_public_key: '" + file + "'}\n");
        assertThat(fromFile.token().rsaPublicKey()).isEqualTo(file.toString());

        assertFails("token: {rsa_public_key: '" + dir.resolve("missing.pub") + "'}\n")
                .hasMessageStartingWith("token.rsa_public_key: file ")
                .hasMessageEndingWith("does not exist");
        Path garbage = Files.writeString(dir.resolve("garbage.pub"), "not a key");
        assertFails("token: {ecdsa_public_key: '" + garbage + "'}\n").hasMessageStartingWith("token.ecdsa_public_key:");
        Path badJwks = Files.writeString(dir.resolve("jwks.json"), "{\"keys\": 5}");
        assertFails("token: {jwks_file: '" + badJwks + "'}\n").hasMessageStartingWith("token.jwks_file:");
    }

    @Test
    void everyEnvironmentVariableMapsToAKnownKey() {
        for (Map.Entry<String, String> e : ConfigKeys.ENV_KEYS.entrySet()) {
            assertThat(e.getKey()).startsWith(ConfigLoader.ENV_PREFIX);
            assertThat(SampleConfigTest.allKeyPaths()).as(e.getKey()).contains(e.getValue());
        }
    }

    @Test
    void keysNestedDeeperThanOneSectionLoadFromTheFileAndTheEnvironmentAndTyposAreNamed() {
        ServerConfig c = ConfigLoader.loadYaml(
                "client:\n  proxy:\n    connect:\n      enabled: true\n      endpoint: http://127.0.0.1:9/c\n",
                "test.yaml",
                Map.of("SWITCHBOARD_CLIENT_PROXY_CONNECT_TIMEOUT", "3s"));
        assertThat(c.proxies().connect().endpoint()).hasToString("http://127.0.0.1:9/c");
        assertThat(c.proxies().connect().timeout()).isEqualTo(Duration.ofSeconds(3));
        assertFails("client:\n  proxy:\n    connect:\n      endpont: http://x\n")
                .hasMessage("client.proxy.connect.endpont: unknown key");
        assertFails("client:\n  proxy:\n    conect: {}\n").hasMessage("client.proxy.conect: unknown key");
    }

    @Test
    void staticHeadersTakeCentrifugosMappingAListOfNameValueStringsOrTheEnvironmentsCommaForm() {
        Map<String, String> expected = Map.of("X-Secret", "abc", "X-Tenant", "t1");
        ServerConfig mapping = load("rpc:\n  proxy:\n    endpoint: http://127.0.0.1:9/r\n"
                + "    static_headers: {X-Secret: abc, X-Tenant: t1}\n");
        ServerConfig list = load("rpc:\n  proxy:\n    endpoint: http://127.0.0.1:9/r\n"
                + "    static_headers: [\"X-Secret: abc\", \"X-Tenant: t1\"]\n");
        ServerConfig env = ConfigLoader.loadYaml(
                "", "test.yaml", Map.of("SWITCHBOARD_WEBHOOK_STATIC_HEADERS", "X-Secret: abc, X-Tenant: t1"));
        assertThat(mapping.proxies().rpc().staticHeaders()).isEqualTo(expected);
        assertThat(list.proxies().rpc().staticHeaders()).isEqualTo(expected);
        assertThat(env.webhook().http().staticHeaders()).isEqualTo(expected);
        // Centrifugo v6 writes them under http:, and a section written for it carries over.
        ServerConfig v6 = load("client:\n  proxy:\n    connect:\n      enabled: true\n"
                + "      endpoint: http://127.0.0.1:9/c\n      http:\n        static_headers: {X-Secret: abc}\n"
                + "      static_headers: {X-Tenant: t1}\n");
        assertThat(v6.proxies().connect().staticHeaders()).isEqualTo(expected);
        assertFails("webhook:\n  static_headers: {X-Secret: [a, b]}\n")
                .hasMessageStartingWith("webhook.static_headers.X-Secret: must be a string");
    }
}
