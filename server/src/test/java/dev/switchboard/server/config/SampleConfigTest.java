package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.transport.config.ConfigAssertions;
import dev.switchboard.transport.config.ConfigKey;
import dev.switchboard.transport.config.ConfigKeys;
import dev.switchboard.transport.config.KeyType;
import dev.switchboard.transport.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keeps the sample {@code genconfig} writes in step with the code; {@link ConfigDocsTest} does the docs. */
class SampleConfigTest {

    static String sample() {
        return SampleConfig.text();
    }

    /** Every key path the loader accepts, with {@code channel.namespaces[].} for namespace keys. */
    static List<String> allKeyPaths() {
        List<String> out = new ArrayList<>();
        ConfigKeys.ALL.forEach(k -> out.add(k.path()));
        ConfigKeys.namespaceNames().forEach(k -> out.add("channel.namespaces[]." + k));
        return out;
    }

    @Test
    void sampleParsesToExactlyTheDefaults() {
        ServerConfig parsed = ConfigLoader.loadYaml(sample(), "sample", Map.of());
        ConfigAssertions.assertSameSettings(parsed, ServerConfig.defaults());
    }

    @Test
    void sampleShowsEveryKey() {
        ObjectNode tree = ConfigLoader.parse(sample(), "sample");
        for (String path : allKeyPaths()) {
            if (path.startsWith("channel.namespaces[].")) {
                continue; // shown in the commented example; the options are the same keys as under channel
            }
            JsonNode node = tree;
            for (String part : path.split("\\.")) {
                node = node.path(part);
            }
            assertThat(node.isMissingNode()).as("sample shows " + path).isFalse();
        }
    }

    @Test
    void sampleHasACommentAboveEveryKey() {
        String[] lines = sample().split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            boolean isKeyWithValue = !line.startsWith("#") && line.matches("[a-z_]+: .+");
            if (isKeyWithValue) {
                assertThat(lines[i - 1].trim()).as("comment above: " + line).startsWith("#");
            }
        }
    }

    @Test
    void nestedKeysAreWrittenAsNestedMappings() {
        List<ConfigKey<Object, ?>> keys = List.of(
                ConfigKey.of("x.proxy.connect.endpoint", KeyType.STRING, "http://a", (b, v) -> {}, "Where."),
                ConfigKey.of("x.plain", KeyType.INT, 5, (b, v) -> {}, "Plain."),
                ConfigKey.of("x.proxy.connect.timeout", KeyType.INT, 1, (b, v) -> {}, "How long."),
                ConfigKey.of("x.proxy.refresh.endpoint", KeyType.STRING, "http://b", (b, v) -> {}, "Where else."));
        ObjectNode tree = ConfigLoader.parse(SampleConfig.text(keys), "sample");
        assertThat(tree.at("/x/proxy/connect/endpoint").asText()).isEqualTo("http://a");
        assertThat(tree.at("/x/proxy/connect/timeout").asInt()).isEqualTo(1);
        assertThat(tree.at("/x/proxy/refresh/endpoint").asText()).isEqualTo("http://b");
        assertThat(tree.at("/x/plain").asInt()).isEqualTo(5);
        assertThat(tree.get("x").size()).isEqualTo(2);
    }
}
