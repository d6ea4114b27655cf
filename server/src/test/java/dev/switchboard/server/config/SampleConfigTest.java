package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keeps the shipped sample and the reference documentation in step with the code. */
class SampleConfigTest {

    static String sample() throws IOException {
        try (InputStream in = SampleConfigTest.class.getResourceAsStream("/switchboard-sample.yaml")) {
            assertThat(in).as("switchboard-sample.yaml on the classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Every key path the loader accepts, with {@code channel.namespaces[].} for namespace keys. */
    static List<String> allKeyPaths() {
        List<String> out = new ArrayList<>();
        Map<String, List<String>> sections = Map.of("redis", ConfigBinder.REDIS_KEYS, "token", ConfigBinder.TOKEN_KEYS,
            "client", ConfigBinder.CLIENT_KEYS, "channel", ConfigBinder.CHANNEL_KEYS,
            "presence", ConfigBinder.PRESENCE_KEYS, "http_api", ConfigBinder.ENABLED_KEYS,
            "metrics", ConfigBinder.ENABLED_KEYS, "health", ConfigBinder.ENABLED_KEYS,
            "http", ConfigBinder.HTTP_KEYS);
        for (String top : ConfigBinder.TOP_KEYS) {
            if (sections.containsKey(top)) {
                sections.get(top).forEach(k -> out.add(top + "." + k));
            } else {
                out.add(top);
            }
        }
        ConfigBinder.NAMESPACE_KEYS.forEach(k -> out.add("channel.namespaces[]." + k));
        return out;
    }

    @Test
    void sampleParsesToExactlyTheDefaults() throws IOException {
        ServerConfig parsed = ConfigLoader.loadYaml(sample(), "sample", Map.of());
        ConfigAssertions.assertSameSettings(parsed, ServerConfig.defaults());
    }

    @Test
    void sampleShowsEveryKey() throws IOException {
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
    void sampleHasACommentAboveEveryKey() throws IOException {
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
    void referenceDocumentsEveryKeyAndEnvironmentVariable() throws IOException {
        String doc = Files.readString(findDoc(), StandardCharsets.UTF_8);
        for (String path : allKeyPaths()) {
            String option = path.substring(path.lastIndexOf('.') + 1);
            boolean channelOption = ConfigBinder.CHANNEL_OPTION_KEYS.contains(option) && path.startsWith("channel.");
            String expected = channelOption || path.startsWith("channel.namespaces[]") ? option : path;
            assertThat(doc).as("docs/configuration.md documents " + path).contains("`" + expected + "`");
        }
        for (String env : ConfigLoader.ENV_KEYS.keySet()) {
            assertThat(doc).as("docs/configuration.md documents " + env).contains("`" + env + "`");
        }
        assertThat(doc).contains("`" + ConfigLoader.ENV_CONFIG_FILE + "`").contains(DevSecrets.FILE_NAME);
    }

    /** docs/ is at the repository root, above the module directory tests run in. */
    private static Path findDoc() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs").resolve("configuration.md");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("docs/configuration.md not found above " + Path.of("").toAbsolutePath());
    }
}
