package dev.switchboard.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.testing.HttpStatus;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime the Dockerfile and the systemd unit ship: {@code deploy/runtime/build-runtime.sh}
 * jlinks one from the JDK running the tests, the node serves from it (a WebSocket client
 * connects, SIGTERM stops it), and the shipped systemd unit, pointed at it, passes
 * {@code systemd-analyze verify}. The Dockerfile itself is not built here (no Docker engine).
 */
class RuntimeImageIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path JAR = Path.of("target", "switchboard.jar").toAbsolutePath();

    @TempDir
    static Path dir;

    private static Path runtime;

    @BeforeAll
    static void jlink() throws Exception {
        assertThat(JAR).as("run the package phase first").exists();
        runtime = dir.resolve("runtime");
        Process p = new ProcessBuilder(
                        "bash",
                        REPO.resolve("deploy/runtime/build-runtime.sh").toString(),
                        JAR.toString(),
                        runtime.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("jlink.log").toFile())
                .start();
        p.getOutputStream().close();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("jlink finished").isTrue();
        assertThat(p.exitValue())
                .as("build-runtime.sh: %s", Files.readString(dir.resolve("jlink.log")))
                .isZero();
        System.out.println(
                "[runtime] " + Files.readString(dir.resolve("jlink.log")).strip());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int status(int port, String path) {
        return HttpStatus.get(port, path, Duration.ofSeconds(1));
    }

    @Test
    void theJlinkedRuntimeHoldsOnlyWhatTheNodeNeedsAndServesIt() throws Exception {
        String release = Files.readString(runtime.resolve("release"), StandardCharsets.UTF_8);
        assertThat(release).contains("java.base", "java.net.http", "jdk.crypto.ec");
        assertThat(release).doesNotContain("jdk.compiler", "java.compiler", "jdk.jshell");
        long bytes;
        try (Stream<Path> files = Files.walk(runtime)) {
            bytes = files.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
        assertThat(bytes).as("trimmed runtime size").isLessThan(120L << 20);

        int port = freePort();
        Path work = Files.createDirectories(dir.resolve("work"));
        ProcessBuilder pb = new ProcessBuilder(
                        runtime.resolve("bin/java").toString(),
                        "-jar",
                        JAR.toString(),
                        "serve",
                        "--config",
                        REPO.resolve("config/dev.yaml").toString())
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("node.log").toFile());
        pb.environment().put("SWITCHBOARD_PORT", Integer.toString(port));
        pb.environment().put("SWITCHBOARD_ADDRESS", "127.0.0.1");
        pb.environment().put("SWITCHBOARD_TOKEN_HMAC_SECRET", TestServers.SECRET);
        pb.environment().put("SWITCHBOARD_API_KEY", TestServers.API_KEY);
        Process node = pb.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> status(port, "/ready") == 200 || !node.isAlive());
            assertThat(node.isAlive())
                    .as("node log: %s", Files.readString(work.resolve("node.log")))
                    .isTrue();
            try (WsTestClient c = WsTestClient.open("ws://127.0.0.1:" + port + "/connection/websocket")) {
                assertThat(c.connect(TestServers.token("rt")).has("connect")).isTrue();
            }
            node.destroy(); // SIGTERM: the graceful drain
            assertThat(node.waitFor(15, TimeUnit.SECONDS))
                    .as("stopped on SIGTERM")
                    .isTrue();
            System.out.printf("[runtime] %d MiB; the node served from it and stopped on SIGTERM%n", bytes >> 20);
        } finally {
            node.destroyForcibly();
        }
    }

    @Test
    void theShippedSystemdUnitPassesSystemdAnalyzeVerifyAgainstTheRuntime() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        boolean present = Files.isExecutable(Path.of("/usr/bin/systemd-analyze"))
                || Files.isExecutable(Path.of("/bin/systemd-analyze"));
        if (!present) {
            String why = "systemd-analyze not installed (apt-get install systemd)";
            assertThat(ci).as(why + ": CI must run this").isFalse();
            Assumptions.abort(why);
        }
        String unit = Files.readString(REPO.resolve("deploy/systemd/switchboard.service"))
                .replace("/opt/switchboard/runtime", runtime.toString())
                .replace("/opt/switchboard/switchboard.jar", JAR.toString());
        Path file = dir.resolve("switchboard.service");
        Files.writeString(file, unit);
        Process p = new ProcessBuilder("systemd-analyze", "verify", file.toString())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // verify also reports on unrelated units of the host; only lines about ours count.
        List<String> ours =
                out.lines().filter(l -> l.contains("switchboard.service")).toList();
        assertThat(ours).as("systemd-analyze verify: %s", out).isEmpty();
        assertThat(p.exitValue()).as("systemd-analyze verify: %s", out).isZero();
    }
}
