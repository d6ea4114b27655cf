package dev.switchboard.transport.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The key table itself: unique paths and variables, and every variable reaching its key. */
class ConfigKeysTest {

    private static final ObjectNode EMPTY = JsonNodeFactory.instance.objectNode();

    @Test
    void pathsAndVariablesAreUniqueAndFollowTheRule() {
        Set<String> paths = new HashSet<>();
        Set<String> envs = new HashSet<>();
        for (ConfigKey<?, ?> key : ConfigKeys.ALL) {
            assertThat(paths.add(key.path())).as("unique path " + key).isTrue();
            assertThat(envs.add(key.env())).as("unique env " + key.env()).isTrue();
            assertThat(key.env())
                    .isEqualTo("SWITCHBOARD_" + key.path().toUpperCase().replace('.', '_'));
            assertThat(key.doc()).as("doc of " + key).isNotBlank().doesNotContain("\n");
        }
        assertThat(ConfigKeys.ENV_KEYS)
                .hasSize(ConfigKeys.ALL.size())
                .containsEntry("SWITCHBOARD_REDIS_PREFIX", "redis.prefix");
    }

    @Test
    void everyVariableReachesItsKey() {
        for (ConfigKey<?, ?> key : ConfigKeys.ALL) {
            if (key.type() == KeyType.STRING || key.type() == KeyType.STRINGS || key.type() == KeyType.HEADERS) {
                continue; // any text is a valid string; the variables below show these arrive
            }
            assertThatThrownBy(() -> ConfigBinder.bind(
                            EMPTY, Map.of(key.env(), "not-a-" + key.type().description())))
                    .as(key.env())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(key.path() + " (from " + key.env() + "): must be");
        }
        ServerConfig c = ConfigBinder.bind(
                EMPTY,
                Map.of(
                        "SWITCHBOARD_REDIS_PREFIX", "app2",
                        "SWITCHBOARD_CHANNEL_PATTERN", "[a-z:]+",
                        "SWITCHBOARD_CHANNEL_ALLOW_SUBSCRIBE_FOR_CLIENT", "true",
                        "SWITCHBOARD_TOKEN_ISSUER", "me",
                        "SWITCHBOARD_INVOKE_MAX_PENDING", "7"));
        assertThat(c.toNodeOptions().maxPendingInvocations()).isEqualTo(7);
        assertThat(c.redisPrefix()).isEqualTo("app2");
        assertThat(c.channel().pattern()).isEqualTo("[a-z:]+");
        assertThat(c.channel().defaultOptions().allowSubscribeForClient()).isTrue();
        assertThat(c.token().issuer()).isEqualTo("me");
    }

    @Test
    void coreErrorsAreMappedToTheKeyThroughTheTable() {
        assertThat(ConfigKeys.byCoreOption("client_queue_max_size"))
                .get()
                .extracting(ConfigKey::path)
                .isEqualTo("client.queue_max_bytes");
        assertThat(ConfigKeys.byCoreOption("presence_ttl"))
                .get()
                .extracting(ConfigKey::path)
                .isEqualTo("presence.ttl");
        assertThat(ConfigKeys.channelOption("history_size"))
                .get()
                .extracting(ConfigKey::name)
                .isEqualTo("history_size");
        assertThatThrownBy(() -> ConfigBinder.bind((ObjectNode) new ObjectMapper()
                        .readTree(
                                "{\"channel\": {\"namespaces\": [{\"name\": \"a\", \"history_meta_ttl\": \"-1s\"}]}}")))
                .hasMessageStartingWith("channel.namespaces[0].history_meta_ttl:");
    }

    @Test
    void sectionsNestAsDeepAsTheirPaths() {
        List<ConfigKey<Object, ?>> keys = List.of(
                ConfigKey.of("a.b.c", KeyType.INT, 1, (b, v) -> {}, "deep"),
                ConfigKey.of("a.d", KeyType.INT, 2, (b, v) -> {}, "shallow"),
                ConfigKey.of("e", KeyType.INT, 3, (b, v) -> {}, "top"));
        assertThat(ConfigKeys.namesIn(keys, "")).containsExactly("a", "e");
        assertThat(ConfigKeys.namesIn(keys, "a")).containsExactly("b", "d");
        assertThat(ConfigKeys.namesIn(keys, "a.b")).containsExactly("c");
        assertThat(ConfigKeys.namesIn(keys, "a.b.c")).isEmpty();
        assertThat(keys.get(0).section()).isEqualTo("a.b");
        assertThat(keys.get(0).name()).isEqualTo("c");
        assertThat(keys.get(0).env()).isEqualTo("SWITCHBOARD_A_B_C");
    }
}
