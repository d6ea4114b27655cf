package dev.switchboard.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.rpc.InvokeTarget;
import dev.switchboard.redis.testing.RedisServerExtension;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.transport.SwitchboardServer;
import dev.switchboard.transport.SwitchboardWorker;
import dev.switchboard.transport.auth.TokenGenerator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seed's story with the Java SDK over a real Redis: an agent SDK registers functions under
 * {@code proj-1:staging} on node A; the HTTP API on node B, a Java invoke on node C and a worker
 * all get its answers.
 */
class ClusterInvocationIT {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    static final String SECRET = "cluster-sdk-test-secret-long-enough-hs256";
    static final String KEY = "cluster-sdk-api-key";

    final List<SwitchboardServer> nodes = new ArrayList<>();
    SwitchboardWorker worker;
    SwitchboardClient agent;

    private String yaml() {
        return String.join(
                "\n",
                "address: 127.0.0.1",
                "port: 0",
                "engine: redis",
                "redis:",
                "  url: " + redis.url(),
                "  prefix: sdk",
                "");
    }

    private final Map<String, String> env = Map.of("SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET, "SWITCHBOARD_API_KEY", KEY);

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        if (worker != null) {
            worker.close();
        }
        nodes.forEach(SwitchboardServer::close);
    }

    @Test
    void sdkAgentOnNodeAAnswersHttpOnNodeBJavaOnNodeCAndAWorker() throws Exception {
        for (int i = 0; i < 3; i++) {
            nodes.add(SwitchboardServer.builder()
                    .config(ConfigLoader.loadYaml(yaml(), "node" + i, env))
                    .build()
                    .start());
        }
        worker = SwitchboardWorker.start(ConfigLoader.loadYaml(yaml(), "worker", env));
        long exp = System.currentTimeMillis() / 1000 + 3600;
        String token = TokenGenerator.hmac(SECRET)
                .signClaims("{\"sub\":\"sdk\",\"exp\":" + exp + ",\"routing_key\":\"proj-1:staging\"}");
        agent = SwitchboardClient.builder(
                        URI.create("ws://127.0.0.1:" + nodes.get(0).port() + "/connection/websocket"))
                .token(token)
                .build();
        agent.handle(
                "add",
                d -> CompletableFuture.completedFuture(
                        Map.of("sum", d.get(0).asInt() + d.get(1).asInt())));
        agent.handle("deny", d -> {
            throw new SwitchboardException(4403, "not for you");
        });
        agent.connect().get(5, TimeUnit.SECONDS);
        InvokeTarget target = InvokeTarget.routingKey("proj-1:staging");
        await().atMost(Duration.ofSeconds(3))
                .until(() -> worker.node().connection(target).join().isPresent());

        HttpResponse<String> http = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + nodes.get(1).port() + "/api/invoke"))
                                .header("X-API-Key", KEY)
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"routing_key\":\"proj-1:staging\",\"method\":\"add\",\"data\":[2,3]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(http.statusCode()).isEqualTo(200);
        assertThat(http.body()).contains("\"sum\":5");

        byte[] fromC = nodes.get(2)
                .node()
                .invoke(target, "add", "[4,5]".getBytes(UTF_8), Duration.ofSeconds(5))
                .join();
        assertThat(new String(fromC, UTF_8)).isEqualTo("{\"sum\":9}");
        byte[] fromWorker = worker.node()
                .invoke(target, "add", "[10,1]".getBytes(UTF_8), Duration.ofSeconds(5))
                .join();
        assertThat(new String(fromWorker, UTF_8)).isEqualTo("{\"sum\":11}");

        HttpResponse<String> denied = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + nodes.get(1).port() + "/api/invoke"))
                                .header("X-API-Key", KEY)
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"routing_key\":\"proj-1:staging\",\"method\":\"deny\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(denied.statusCode()).isEqualTo(502);
        assertThat(denied.body()).contains("4403").contains("not for you");
    }
}
