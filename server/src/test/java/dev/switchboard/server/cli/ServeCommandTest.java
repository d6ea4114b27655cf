package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.config.DevSecrets;
import dev.switchboard.transport.config.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {

    @TempDir
    Path work;

    @Test
    void firstRunWithNoConfigCreatesDevSecretsAndPrintsUrlsAndTokenCommand() {
        CliRunner cli = new CliRunner(work);
        cli.fakePort = 18_123;
        assertThat(cli.run("serve")).isZero();

        DevSecrets dev = DevSecrets.read(work).orElseThrow();
        ServerConfig started = cli.started.get(0);
        assertThat(started.token().hmacSecret()).isEqualTo(dev.hmacSecret());
        assertThat(started.apiKey()).isEqualTo(dev.apiKey());
        assertThat(cli.out())
                .contains("ws://localhost:18123/connection/websocket")
                .contains("http://localhost:18123/api")
                .contains(dev.file().toString())
                .contains("gentoken --user alice")
                .doesNotContain(dev.hmacSecret())
                .doesNotContain(dev.apiKey());
        assertThat(cli.err()).doesNotContain(dev.hmacSecret()).doesNotContain(dev.apiKey());
        assertThat(cli.closed).isTrue();
    }

    @Test
    void secondRunReusesTheDevSecrets() {
        new CliRunner(work).run("serve");
        String first = DevSecrets.read(work).orElseThrow().hmacSecret();
        CliRunner again = new CliRunner(work);
        assertThat(again.run("serve")).isZero();
        assertThat(again.started.get(0).token().hmacSecret()).isEqualTo(first);
        assertThat(again.out()).contains("reused");
    }

    @Test
    void configuredSecretsAreUsedAndNoDevSecretsAreCreated() throws Exception {
        Files.writeString(work.resolve("sb.yaml"), "address: 127.0.0.1\napi_key: k\n");
        CliRunner cli =
                new CliRunner(work, Map.of("SWITCHBOARD_TOKEN_HMAC_SECRET", "0123456789abcdef0123456789abcdef"));
        assertThat(cli.run("serve", "--config", "sb.yaml")).isZero();
        assertThat(work.resolve(".switchboard")).doesNotExist();
        assertThat(cli.out())
                .contains("ws://127.0.0.1:18000/connection/websocket")
                .contains("gentoken --user alice --config sb.yaml")
                .doesNotContain("0123456789abcdef0123456789abcdef");
    }

    @Test
    void withoutATokenKeyButWithTheConnectProxyTheSummarySaysWhoDecides() throws Exception {
        Files.writeString(
                work.resolve("sb.yaml"),
                "address: 127.0.0.1\napi_key: k\nclient:\n  proxy:\n    connect: {enabled: true,"
                        + " endpoint: \"http://127.0.0.1:9000/rt/connect\"}\n");
        CliRunner cli = new CliRunner(work);
        assertThat(cli.run("serve", "--config", "sb.yaml")).isZero();
        assertThat(cli.out())
                .contains("connections are decided by the connect proxy")
                .doesNotContain("every connection is refused");
    }

    @Test
    void badConfigFailsBeforeAnythingStarts() throws Exception {
        Files.writeString(work.resolve("sb.yaml"), "client: {pong_timeout: 1m}\n");
        CliRunner cli = new CliRunner(work);
        assertThat(cli.run("serve", "--config", "sb.yaml")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(cli.err()).contains("client.pong_timeout");
        assertThat(cli.started).isEmpty();
        assertThat(work.resolve(".switchboard"))
                .as("no dev secrets for a config that cannot start")
                .doesNotExist();
    }

    @Test
    void theAdminPageIsAnnouncedWhereItListensAndRefusedWithoutAPassword() throws Exception {
        Files.writeString(
                work.resolve("sb.yaml"),
                "address: 0.0.0.0\napi_key: k\ninternal_port: 9100\ninternal_address: 10.0.0.5\n"
                        + "admin: {enabled: true}\n");
        CliRunner refused = new CliRunner(work);
        assertThat(refused.run("serve", "--config", "sb.yaml")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(refused.err()).contains("config error: admin.password: must be set when admin.enabled is true");
        assertThat(refused.started).isEmpty();

        CliRunner cli = new CliRunner(work, Map.of("SWITCHBOARD_ADMIN_PASSWORD", "pw-S3CRET"));
        cli.fakePort = 18_124;
        assertThat(cli.run("serve", "--config", "sb.yaml")).isZero();
        assertThat(cli.out())
                .contains("Admin:     http://10.0.0.5:")
                .contains("/admin/")
                .doesNotContain("pw-S3CRET");
    }

    @Test
    void badRedisUrlFailsBeforeAnythingStarts() {
        CliRunner cli = new CliRunner(work, Map.of("SWITCHBOARD_ENGINE", "redis", "SWITCHBOARD_REDIS_URL", "http://x"));
        assertThat(cli.run("serve")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(cli.err()).contains("redis.url (from SWITCHBOARD_REDIS_URL)");
        assertThat(cli.started).isEmpty();
    }

    @Test
    void startFailureIsReportedAndExitsOne() {
        CliRunner cli = new CliRunner(work, Map.of("SWITCHBOARD_API_KEY", "k"));
        cli.startFailure = new java.net.BindException("port 8000 is already in use");
        assertThat(cli.run("serve")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(cli.err()).contains("failed to start: port 8000 is already in use");
        assertThat(cli.out()).doesNotContain("ws://");
    }

    @Test
    void servesARealNodeUntilStoppedThenClosesIt() throws Exception {
        StringWriter out = new StringWriter();
        AtomicInteger healthStatus = new AtomicInteger();
        CliContext ctx = new CliContext(
                new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true),
                Map.of("SWITCHBOARD_PORT", "0", "SWITCHBOARD_ADDRESS", "127.0.0.1"),
                work,
                ServeCommand.SWITCHBOARD_SERVER,
                (server, timeout) -> {
                    // While "running": the node answers on the port it reported.
                    try {
                        HttpResponse<String> health = HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://127.0.0.1:" + server.port() + "/health"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                        healthStatus.set(health.statusCode());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } finally {
                        ServeCommand.closeWithin(server, timeout);
                    }
                });
        assertThat(Main.run(ctx, "serve")).isZero();
        assertThat(healthStatus.get()).isEqualTo(200);
        assertThat(out.toString())
                .containsPattern("ws://127\\.0\\.0\\.1:\\d+/connection/websocket")
                .doesNotContain(":0/");
    }

    @Test
    void closeWithinGivesUpAfterTheTimeout() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        ServeCommand.RunningServer stuck = new ServeCommand.RunningServer() {
            @Override
            public int port() {
                return 1;
            }

            @Override
            public void close() {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        long t0 = System.nanoTime();
        ServeCommand.closeWithin(stuck, Duration.ofMillis(200));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        never.countDown();
    }

    @Test
    void wildcardAddressesAreShownAsLocalhost() {
        assertThat(ServeCommand.displayHost("0.0.0.0")).isEqualTo("localhost");
        assertThat(ServeCommand.displayHost("::")).isEqualTo("localhost");
        assertThat(ServeCommand.displayHost("10.0.0.5")).isEqualTo("10.0.0.5");
        assertThat(ServeCommand.displayHost("fe80::1")).isEqualTo("[fe80::1]");
    }
}
