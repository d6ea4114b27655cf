package dev.switchboard.transport.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.channel.ChannelRules;
import dev.switchboard.core.node.NodeOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    @Test
    void defaultsAreTheDocumentedConstants() {
        ServerConfig c = ServerConfig.defaults();
        assertThat(c.port()).isEqualTo(8000).isEqualTo(ServerConfig.DEFAULT_PORT);
        assertThat(c.address()).isEqualTo("0.0.0.0");
        assertThat(c.node().name()).isEqualTo(NodeOptions.builder().build().name());
        assertThat(c.engine()).isEqualTo(EngineType.MEMORY);
        assertThat(c.redisUrl()).isEqualTo(ServerConfig.DEFAULT_REDIS_URL);
        assertThat(c.token().hasAnyKey()).isFalse();
        assertThat(c.apiKey()).isNull();
        assertThat(c.node().allowAnonymous()).isFalse();
        assertThat(c.node().pingInterval()).isEqualTo(Duration.ofSeconds(25));
        assertThat(c.node().pongTimeout()).isEqualTo(Duration.ofSeconds(8));
        assertThat(c.clientMaxMessageSize()).isEqualTo(65_536).isEqualTo(ServerConfig.DEFAULT_CLIENT_MAX_MESSAGE_SIZE);
        assertThat(c.node().serverSideChannels()).isEmpty();
        assertThat(c.channel().namespaces()).isEmpty();
        assertThat(c.node().presenceTtl()).isEqualTo(NodeOptions.DEFAULT_PRESENCE_TTL);
        assertThat(c.httpApiEnabled()).isTrue();
        assertThat(c.metricsEnabled()).isTrue();
        assertThat(c.healthEnabled()).isTrue();
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void defaultsMapToTheCoreDefaults() {
        NodeOptions mapped = ServerConfig.defaults().toNodeOptions();
        NodeOptions core = NodeOptions.builder().build();
        assertThat(mapped.pingInterval()).isEqualTo(core.pingInterval());
        assertThat(mapped.pongTimeout()).isEqualTo(core.pongTimeout());
        assertThat(mapped.clientQueueMaxBytes()).isEqualTo(core.clientQueueMaxBytes());
        assertThat(mapped.clientChannelLimit()).isEqualTo(core.clientChannelLimit());
        assertThat(mapped.userConnectionLimit()).isEqualTo(core.userConnectionLimit());
        assertThat(mapped.connectTimeout()).isEqualTo(core.connectTimeout());
        assertThat(mapped.commandRateLimit()).isEqualTo(core.commandRateLimit());
        assertThat(mapped.commandBurst()).isEqualTo(core.commandBurst());
        assertThat(mapped.maxPendingCommands()).isEqualTo(core.maxPendingCommands());
        assertThat(mapped.clientExpiredCloseDelay()).isEqualTo(core.clientExpiredCloseDelay());
        assertThat(mapped.presenceTtl()).isEqualTo(core.presenceTtl());
        assertThat(mapped.presenceUpdateInterval()).isEqualTo(core.presenceUpdateInterval());
        assertThat(mapped.maxPublicationSize()).isEqualTo(core.maxPublicationSize());
        assertThat(mapped.historyMaxPublicationLimit()).isEqualTo(core.historyMaxPublicationLimit());
        assertThat(mapped.allowAnonymous()).isFalse();
        assertThat(mapped.name()).isEqualTo(core.name());
        ChannelRules rules = ServerConfig.defaults().toChannelRules();
        assertThat(rules.maxChannelLength()).isEqualTo(ChannelRules.DEFAULT_MAX_CHANNEL_LENGTH);
        assertThat(rules.channelPattern().pattern()).isEqualTo(ChannelRules.DEFAULT_CHANNEL_PATTERN);
        ConfigAssertions.assertSameSettings(rules.defaultOptions(), ChannelOptions.defaults());
    }

    @Test
    void toNodeOptionsCarriesEverySetting() {
        ServerConfig c = ServerConfig.builder()
                .node(NodeOptions.builder()
                        .name("node-7")
                        .allowAnonymous(true)
                        .pingInterval(Duration.ofSeconds(20))
                        .pongTimeout(Duration.ofSeconds(5))
                        .clientQueueMaxBytes(2048)
                        .clientChannelLimit(7)
                        .userConnectionLimit(3)
                        .connectTimeout(Duration.ofSeconds(4))
                        .commandRateLimit(50)
                        .commandBurst(9)
                        .maxPendingCommands(11)
                        .clientExpiredCloseDelay(Duration.ZERO)
                        .serverSideChannels(List.of("news", "chat:lobby"))
                        .maxPublicationSize(1024)
                        .historyMaxPublicationLimit(42)
                        .presenceTtl(Duration.ofSeconds(30))
                        .presenceUpdateInterval(Duration.ofSeconds(10))
                        .build())
                .channel(ChannelConfig.builder()
                        .maxLength(100)
                        .namespace(
                                "chat", ChannelOptions.builder().presence(true).build())
                        .build())
                .build();
        NodeOptions o = c.toNodeOptions();
        assertThat(o.id())
                .as("every node of one config has its own id")
                .isNotEqualTo(c.toNodeOptions().id())
                .isNotEqualTo(c.node().id());
        assertThat(o.name()).isEqualTo("node-7");
        assertThat(o.allowAnonymous()).isTrue();
        assertThat(o.pingInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(o.pongTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.clientQueueMaxBytes()).isEqualTo(2048);
        assertThat(o.clientChannelLimit()).isEqualTo(7);
        assertThat(o.userConnectionLimit()).isEqualTo(3);
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(o.commandRateLimit()).isEqualTo(50);
        assertThat(o.commandBurst()).isEqualTo(9);
        assertThat(o.maxPendingCommands()).isEqualTo(11);
        assertThat(o.clientExpiredCloseDelay()).isZero();
        assertThat(o.serverSideChannels()).containsExactly("news", "chat:lobby");
        assertThat(o.presenceTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.presenceUpdateInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.channelRules().maxChannelLength()).isEqualTo(100);
        assertThat(o.maxPublicationSize()).isEqualTo(1024);
        assertThat(o.historyMaxPublicationLimit()).isEqualTo(42);
        assertThat(o.channelRules().optionsFor("chat:x"))
                .get()
                .extracting(ChannelOptions::presence)
                .isEqualTo(true);
    }

    @Test
    void coreChecksAcrossKeysNameTheKey() {
        assertThatThrownBy(() -> bind("{\"client\": {\"queue_max_bytes\": 4096}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "channel.max_publication_size: max_publication_size (65536) must be smaller than");
        assertThatThrownBy(() -> bind("{\"client\": {\"pong_timeout\": \"30s\"}}"))
                .hasMessageStartingWith("client.pong_timeout: pong_timeout (PT30S) must be shorter than ping_interval");
        assertThatThrownBy(() -> bind("{\"presence\": {\"ttl\": \"5s\"}}"))
                .hasMessageStartingWith("presence.ttl: presence_ttl must be longer than presence_update_interval");
    }

    @Test
    void coreValueChecksNameTheKeyAsWritten() {
        assertThatThrownBy(() -> bind("{\"client\": {\"channel_limit\": -1}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("client.channel_limit: must be > 0, got -1");
        assertThatThrownBy(() -> bind("{\"channel\": {\"namespaces\": [{\"name\": \"a\", \"history_size\": -1}]}}"))
                .hasMessageStartingWith("channel.namespaces[0].history_size:");
    }

    @Test
    void writeDelayDefaultsToNoneAndIsBoundedToOneSecond() throws Exception {
        assertThat(bind("{}").clientWriteDelay()).isZero();
        assertThat(bind("{\"client\": {\"write_delay\": \"2ms\"}}").clientWriteDelay())
                .isEqualTo(java.time.Duration.ofMillis(2));
        assertThatThrownBy(() -> bind("{\"client\": {\"write_delay\": \"2s\"}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("client.write_delay: must be at most 1s");
        assertThatThrownBy(() -> bind("{\"client\": {\"write_delay\": \"-1ms\"}}"))
                .hasMessageStartingWith("client.write_delay:");
    }

    private static ServerConfig bind(String json) throws Exception {
        return ConfigBinder.bind((ObjectNode) new ObjectMapper().readTree(json));
    }

    @Test
    void builderErrorsNameTheKey() {
        assertThatThrownBy(() -> ServerConfig.builder().port(70_000))
                .isInstanceOf(ConfigException.class)
                .hasMessage("port: must be between 0 and 65535, got 70000")
                .extracting(e -> ((ConfigException) e).key())
                .isEqualTo("port");
        assertThatThrownBy(() -> ServerConfig.builder().shutdownTimeout(Duration.ofSeconds(-1)))
                .hasMessageStartingWith("shutdown_timeout: must be > 0");
        assertThatThrownBy(() -> ServerConfig.builder().redisUrl("http://localhost"))
                .hasMessageStartingWith("redis.url: must start with redis://");
        assertThatThrownBy(() -> ChannelConfig.builder().pattern("[unclosed"))
                .hasMessageStartingWith("channel.pattern: is not a valid regular expression");
        assertThatThrownBy(() -> ChannelConfig.builder()
                        .namespace("ok", ChannelOptions.defaults())
                        .namespace("ok", ChannelOptions.defaults()))
                .hasMessage("channel.namespaces[1].name: namespace \"ok\" is configured twice");
    }

    @Test
    void allowedOriginsAreCheckedAndTrimmed() throws Exception {
        assertThat(ServerConfig.defaults().clientAllowedOrigins()).isEmpty();
        assertThat(ServerConfig.builder()
                        .clientAllowedOrigins(List.of(" https://a.com", "https://*.b.com"))
                        .build()
                        .clientAllowedOrigins())
                .containsExactly("https://a.com", "https://*.b.com");
        assertThatThrownBy(
                        () -> ServerConfig.builder().clientAllowedOrigins(List.of("https://a.com", "https://b.com/")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("client.allowed_origins[1]: \"https://b.com/\": an origin has no path");
        assertThat(bind("{\"client\": {\"allowed_origins\": [\"https://a.com\", \"*\"]}}")
                        .clientAllowedOrigins())
                .containsExactly("https://a.com", "*");
        assertThatThrownBy(() -> bind("{\"client\": {\"allowed_origins\": [\"example.com\"]}}"))
                .hasMessageStartingWith("client.allowed_origins[0]: \"example.com\" is not an origin");
    }

    @Test
    void serverSideChannelInUnknownNamespaceNamesTheListEntry() {
        ServerConfig c = ServerConfig.builder()
                .node(NodeOptions.builder()
                        .serverSideChannels(List.of("news", "nowhere:x"))
                        .build())
                .build();
        assertThatThrownBy(c::toNodeOptions)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("client.subscribe_to_channels[1]: namespace \"nowhere\"");
    }

    @Test
    void toStringNeverShowsSecrets() {
        String secret = "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t";
        ServerConfig c = ServerConfig.builder()
                .token(TokenConfig.builder().hmacSecret(secret).build())
                .apiKey("api-key-value-123")
                .build();
        assertThat(c.toString())
                .doesNotContain(secret)
                .doesNotContain("api-key-value-123")
                .contains("<redacted>");
    }

    @Test
    void blankValuesMeanUnset() {
        ServerConfig c = ServerConfig.builder()
                .apiKey("")
                .token(TokenConfig.builder()
                        .hmacSecret("")
                        .rsaPublicKey(" ")
                        .audience("")
                        .build())
                .build();
        assertThat(c.apiKey()).isNull();
        assertThat(c.token().hasAnyKey()).isFalse();
        assertThat(c.token().audience()).isNull();
    }

    @Test
    void redisEngineValidatesWithTheDefaultUrl() {
        ServerConfig c = ServerConfig.builder().engine(EngineType.REDIS).build();
        assertThat(c.validate()).isSameAs(c);
        assertThat(c.redisUrl()).isEqualTo(ServerConfig.DEFAULT_REDIS_URL);
        assertThat(c.redisPrefix()).isEqualTo(ServerConfig.DEFAULT_REDIS_PREFIX);
        assertThatThrownBy(() -> ServerConfig.builder().redisUrl("http://x"))
                .isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).key())
                .isEqualTo("redis.url");
    }
}
