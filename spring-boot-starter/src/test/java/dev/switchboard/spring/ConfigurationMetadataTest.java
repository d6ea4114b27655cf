package dev.switchboard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.transport.config.ConfigKey;
import dev.switchboard.transport.config.ConfigKeys;
import dev.switchboard.transport.config.Durations;
import dev.switchboard.transport.config.Engine;
import dev.switchboard.transport.config.KeyType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Holds {@code META-INF/spring-configuration-metadata.json} (IDE completion of
 * {@code switchboard.*} in {@code application.yaml}) to the key table: generated from
 * {@link ConfigKeys}, committed, and compared here, so a new key fails this test until the file
 * is regenerated with
 * {@code mvn -pl spring-boot-starter -am test -Dtest=ConfigurationMetadataTest -Dswitchboard.metadata.write=true}.
 *
 * <p>It is written by hand rather than by Spring's annotation processor, which only knows
 * {@code @ConfigurationProperties} classes, and the key table is not one.
 */
class ConfigurationMetadataTest {

    static final Path FILE = Path.of("src/main/resources/META-INF/spring-configuration-metadata.json");
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Test
    void theCommittedMetadataIsTheKeyTable() throws IOException {
        String expected = JSON.writeValueAsString(metadata()) + "\n";
        if (Boolean.getBoolean("switchboard.metadata.write")) {
            Files.writeString(FILE, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(FILE, StandardCharsets.UTF_8))
            .as("%s is stale: regenerate it (see this test's Javadoc)", FILE)
            .isEqualTo(expected);
    }

    @Test
    void everyKeyIsThereInKebabCaseWithItsDefault() {
        ObjectNode m = metadata();
        assertThat(m.get("properties")).hasSize(ConfigKeys.ALL.size() + 3);
        assertThat(property(m, "switchboard.client.ping-interval").get("defaultValue").asText()).isEqualTo("25s");
        assertThat(property(m, "switchboard.port").get("type").asText()).isEqualTo("java.lang.Integer");
        assertThat(property(m, "switchboard.token.hmac-secret").has("defaultValue")).isFalse();
    }

    static ObjectNode metadata() {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("groups").addObject().put("name", EnvironmentConfig.PREFIX)
            .put("description", "The embedded Switchboard node; the keys of docs/configuration.md.");
        ArrayNode properties = root.putArray("properties");
        properties.addObject().put("name", "switchboard.enabled").put("type", "java.lang.Boolean")
            .put("defaultValue", true).put("description", "Auto-configure an embedded Switchboard node.");
        properties.addObject().put("name", "switchboard.auto-startup").put("type", "java.lang.Boolean")
            .put("defaultValue", true).put("description",
                "Start the node with the application context; when false, call SwitchboardLifecycle.start().");
        for (ConfigKey<?, ?> key : ConfigKeys.ALL) {
            ObjectNode p = properties.addObject().put("name", EnvironmentConfig.propertyName(key.path()))
                .put("type", javaType(key.type())).put("description", key.doc());
            putDefault(p, key.defaultValue());
        }
        properties.addObject().put("name", "switchboard.channel.namespaces")
            .put("type", "java.util.List<java.util.Map<java.lang.String,java.lang.String>>")
            .put("description", "Channel namespaces: each entry has a name and any channel option"
                + " (history-size, presence, allow-subscribe-for-client...), as under switchboard.channel.");
        ArrayNode engines = root.putArray("hints").addObject().put("name", "switchboard.engine").putArray("values");
        for (Engine e : Engine.values()) {
            engines.addObject().put("value", e.configName());
        }
        return root;
    }

    /** Durations and sizes are text in our syntax ({@code "1h30m"}, {@code "64KiB"}), not Spring's types. */
    private static String javaType(KeyType<?> type) {
        if (type == KeyType.INT) {
            return "java.lang.Integer";
        }
        if (type == KeyType.BOOL) {
            return "java.lang.Boolean";
        }
        if (type == KeyType.STRINGS) {
            return "java.util.List<java.lang.String>";
        }
        return "java.lang.String";
    }

    private static void putDefault(ObjectNode p, Object value) {
        if (value instanceof Duration d) {
            p.put("defaultValue", Durations.format(d));
        } else if (value instanceof Integer i) {
            p.put("defaultValue", i);
        } else if (value instanceof Boolean b) {
            p.put("defaultValue", b);
        } else if (value instanceof Engine e) {
            p.put("defaultValue", e.configName());
        } else if (value instanceof List<?> l && !l.isEmpty()) {
            l.forEach(v -> ((ArrayNode) p.withArray("defaultValue")).add(v.toString()));
        } else if (value instanceof String s) {
            p.put("defaultValue", s);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode property(ObjectNode m, String name) {
        for (var p : m.get("properties")) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no property " + name);
    }
}
