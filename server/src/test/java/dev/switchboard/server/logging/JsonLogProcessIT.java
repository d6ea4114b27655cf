package dev.switchboard.server.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as an operator runs it: {@code serve} with {@code log.format: json} and
 * {@code log.level: debug} writes only JSON lines to standard error, from the first line to the
 * last (the environment's {@code SWITCHBOARD_LOG_FORMAT} covers what is logged before the file is
 * read), with the disconnect line of a client that came and went; standard output keeps the banner.
 */
class JsonLogProcessIT {

    private static final Path JAR = Path.of("target", "switchboard.jar");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void serveWithJsonFormatWritesOneJsonObjectPerLine() throws Exception {
        assertThat(JAR).as("run the package phase first").exists();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("node.yaml");
        Files.writeString(
                config,
                TestServers.CONFIG_YAML.replace("port: 0", "port: " + port) + "log:\n  format: json\n  level: debug\n");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                        java, "-Xmx256m", "-jar", JAR.toString(), "serve", "--config", config.toString())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("SWITCHBOARD_TOKEN_HMAC_SECRET", TestServers.SECRET);
        pb.environment().put("SWITCHBOARD_API_KEY", TestServers.API_KEY);
        pb.environment().put("SWITCHBOARD_LOG_FORMAT", "json");
        pb.environment().put("SWITCHBOARD_NO_SUCH_KEY", "x"); // warned about before the file is read
        Process node = pb.start();
        String clientId;
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !node.isAlive() || Files.readString(out).contains("Switchboard is running"));
            assertThat(node.isAlive()).as("stderr: %s", Files.readString(err)).isTrue();

            try (WsTestClient c = WsTestClient.open("ws://127.0.0.1:" + port + "/connection/websocket")) {
                clientId = c.connect(TestServers.token("alice"))
                        .path("connect")
                        .path("client")
                        .asText();
                c.sendClose(1000, "bye");
                c.awaitClose();
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Files.readString(err).contains(clientId));
        } finally {
            node.destroy(); // SIGTERM: the graceful stop logs too
            node.waitFor(30, TimeUnit.SECONDS);
        }

        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(err)) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line)); // throws on a line that is not JSON
            }
        }
        assertThat(lines).allSatisfy(l -> assertThat(l.isObject()).isTrue());
        assertThat(lines)
                .allSatisfy(l -> assertThat(l.fieldNames())
                        .toIterable()
                        .contains("time", "level", "logger", "thread", "message"));
        assertThat(lines).anySatisfy(l -> assertThat(l.path("message").asText()).contains("SWITCHBOARD_NO_SUCH_KEY"));
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.path("level").asText()).isEqualTo("DEBUG");
            assertThat(l.path("logger").asText()).isEqualTo("dev.switchboard.core.node.Node");
            assertThat(l.path("message").asText())
                    .startsWith("client " + clientId + " (user \"alice\", websocket) disconnected: code ");
        });
        assertThat(lines).anySatisfy(l -> assertThat(l.path("message").asText()).isEqualTo("stopped"));
        assertThat(Files.readString(out)).contains("Switchboard is running").doesNotContain("\"level\"");
    }
}
