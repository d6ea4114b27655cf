package dev.switchboard.spring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.transport.IoTransport;
import dev.switchboard.transport.config.ConfigKey;
import dev.switchboard.transport.config.ConfigKeys;
import dev.switchboard.transport.config.Durations;
import dev.switchboard.transport.config.EngineType;
import dev.switchboard.transport.config.KeyType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Writes {@code META-INF/spring-configuration-metadata.json} (IDE completion of
 * {@code switchboard.*} in {@code application.yaml}) from {@link ConfigKeys}. The build runs it
 * after compiling (exec-maven-plugin, {@code process-classes}), so the jar always carries the
 * table as it is and a new key needs nothing here. Spring's annotation processor cannot do it:
 * it only knows {@code @ConfigurationProperties} classes, and the key table is not one.
 *
 * <pre>{@code
 * java -cp ... dev.switchboard.spring.ConfigurationMetadata target/classes/META-INF/spring-configuration-metadata.json
 * }</pre>
 */
public final class ConfigurationMetadata {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ConfigurationMetadata() {}

    /** Writes the metadata to the file named by the one argument. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ConfigurationMetadata <output file>");
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, text(), StandardCharsets.UTF_8);
    }

    /** The metadata as written. */
    static String text() throws IOException {
        return JSON.writeValueAsString(metadata()) + "\n";
    }

    static ObjectNode metadata() {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("groups")
                .addObject()
                .put("name", EnvironmentConfig.PREFIX)
                .put("description", "The embedded Switchboard node; the keys of docs/configuration.md.");
        ArrayNode properties = root.putArray("properties");
        properties
                .addObject()
                .put("name", "switchboard.enabled")
                .put("type", "java.lang.Boolean")
                .put("defaultValue", true)
                .put("description", "Auto-configure an embedded Switchboard node.");
        properties
                .addObject()
                .put("name", "switchboard.auto-startup")
                .put("type", "java.lang.Boolean")
                .put("defaultValue", true)
                .put(
                        "description",
                        "Start the node with the application context; when false, call SwitchboardLifecycle.start().");
        for (ConfigKey<?, ?> key : ConfigKeys.ALL) {
            if (ConfigKeys.APP_ONLY.contains(key)) {
                continue; // refused under Spring Boot, which has logging.*
            }
            ObjectNode p = properties
                    .addObject()
                    .put("name", EnvironmentConfig.propertyName(key.path()))
                    .put("type", javaType(key.type()))
                    .put("description", key.doc());
            putDefault(p, key.defaultValue());
        }
        properties
                .addObject()
                .put("name", "switchboard.channel.namespaces")
                .put("type", "java.util.List<java.util.Map<java.lang.String,java.lang.String>>")
                .put(
                        "description",
                        "Channel namespaces: each entry has a name and any channel option"
                                + " (history-size, presence, allow-subscribe-for-client...), as under switchboard.channel.");
        ArrayNode hints = root.putArray("hints");
        ArrayNode engines = hints.addObject().put("name", "switchboard.engine").putArray("values");
        for (EngineType e : EngineType.values()) {
            engines.addObject().put("value", e.configName());
        }
        ArrayNode transports =
                hints.addObject().put("name", "switchboard.io-transport").putArray("values");
        for (IoTransport t : IoTransport.values()) {
            transports.addObject().put("value", t.configName());
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
        } else if (value instanceof EngineType e) {
            p.put("defaultValue", e.configName());
        } else if (value instanceof IoTransport t) {
            p.put("defaultValue", t.configName());
        } else if (value instanceof List<?> l && !l.isEmpty()) {
            l.forEach(v -> ((ArrayNode) p.withArray("defaultValue")).add(v.toString()));
        } else if (value instanceof String s) {
            p.put("defaultValue", s);
        }
    }
}
