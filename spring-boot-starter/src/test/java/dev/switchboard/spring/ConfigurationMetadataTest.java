package dev.switchboard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.transport.config.ConfigKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The IDE metadata the build writes is the key table, and the jar's class path carries it. */
class ConfigurationMetadataTest {

    @Test
    void theBuiltMetadataIsTheKeyTable() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("written by the build at process-classes").isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(ConfigurationMetadata.text());
        }
    }

    @Test
    void everyKeyIsThereInKebabCaseWithItsDefault() {
        ObjectNode m = ConfigurationMetadata.metadata();
        assertThat(m.get("properties")).hasSize(ConfigKeys.ALL.size() - ConfigKeys.APP_ONLY.size() + 3);
        assertThat(property(m, "switchboard.client.ping-interval")
                        .get("defaultValue")
                        .asText())
                .isEqualTo("25s");
        assertThat(property(m, "switchboard.port").get("type").asText()).isEqualTo("java.lang.Integer");
        assertThat(property(m, "switchboard.token.hmac-secret").has("defaultValue"))
                .isFalse();
        assertThat(property(m, "switchboard.invoke.max-pending")
                        .get("defaultValue")
                        .asInt())
                .isEqualTo(10_000);
    }

    private static JsonNode property(ObjectNode m, String name) {
        for (JsonNode p : m.get("properties")) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no property " + name);
    }
}
