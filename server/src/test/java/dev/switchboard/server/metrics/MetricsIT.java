package dev.switchboard.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.rpc.InvokeTarget;
import dev.switchboard.redis.testing.RedisServerExtension;
import dev.switchboard.server.testing.ApiClient;
import dev.switchboard.server.testing.ExternalTools;
import dev.switchboard.server.testing.ProtobufWsClient;
import dev.switchboard.server.testing.TestAgent;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import dev.switchboard.transport.SwitchboardServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The meters move on a real node, read as Prometheus reads them (GET /metrics, text format):
 * server API calls by method and outcome, WebSocket traffic by encoding, Redis command latency,
 * the cluster gauges. Then every metric the shipped dashboard and alerting rules name must be on
 * the /metrics of the two nodes exercised here (memory and Redis engine, with a webhook and an
 * RPC proxy configured so their meters exist).
 */
class MetricsIT {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<AutoCloseable> open = new ArrayList<>();
    private final String prefix =
            "m" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** A webhook and an RPC proxy aimed at a port nobody listens on: their meters exist, calls fail. */
    private static String backendsYaml() throws Exception {
        String dead = "http://127.0.0.1:" + ExternalTools.freePort();
        return String.join(
                "\n",
                "webhook:",
                "  enabled: true",
                "  endpoint: " + dead + "/rt/events",
                "  timeout: 500ms",
                "rpc:",
                "  proxy: {enabled: true, endpoint: \"" + dead + "/rt/rpc\", timeout: 500ms}",
                "");
    }

    private SwitchboardServer start(String yaml) {
        SwitchboardServer s = TestServers.start(yaml, b -> b);
        open.add(s::close);
        return s;
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    @Test
    void aMemoryNodeCountsApiCallsByOutcomeAndWebSocketTrafficByEncoding() throws Exception {
        SwitchboardServer server = start(backendsYaml());
        ApiClient api = new ApiClient(TestServers.apiUrl(server), TestServers.API_KEY);

        WsTestClient json = track(WsTestClient.open(TestServers.wsUrl(server)));
        json.connect(TestServers.token("u1"));
        json.send("{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}");
        json.reply(2);
        ProtobufWsClient proto = track(ProtobufWsClient.open(TestServers.wsUrl(server)));
        assertThat(proto.connect(TestServers.token("u2")).hasConnect()).isTrue();

        api.publish("news", "{\"n\":1}");
        json.push("news", "pub");
        assertThat(api.call("publish", "{\"channel\":\"nosuchns:x\",\"data\":{}}")
                        .body()
                        .has("error"))
                .isTrue();
        assertThat(api.call("no_such_method_" + System.nanoTime(), "{}").status())
                .isEqualTo(404);
        assertThat(api.call("publish", "[").status()).isEqualTo(400);
        assertThat(api.call("info", "{}").status()).isEqualTo(200);

        Map<String, Double> m = scrape(server);
        assertThat(value(m, "switchboard_api_calls_seconds_count", "method", "publish", "outcome", "ok"))
                .isEqualTo(1);
        assertThat(value(m, "switchboard_api_calls_seconds_count", "method", "publish", "outcome", "error"))
                .isEqualTo(1);
        assertThat(value(m, "switchboard_api_calls_seconds_count", "method", "publish", "outcome", "bad_request"))
                .isEqualTo(1);
        assertThat(value(m, "switchboard_api_calls_seconds_count", "method", "info", "outcome", "ok"))
                .isEqualTo(1);
        // The caller's method name is never a label value.
        assertThat(value(m, "switchboard_api_calls_seconds_count", "method", "unknown", "outcome", "not_found"))
                .isEqualTo(1);
        assertThat(m.keySet()).noneMatch(k -> k.contains("no_such_method"));
        assertThat(value(m, "switchboard_api_calls_seconds_bucket", "method", "publish", "outcome", "ok", "le", "+Inf"))
                .isEqualTo(1);

        // In: the connect and subscribe frames (JSON), the connect frame (protobuf). Out: their
        // replies and the publication push.
        assertThat(value(
                        m, "switchboard_transport_messages_received_total", "transport", "websocket", "format", "json"))
                .isEqualTo(2);
        assertThat(value(m, "switchboard_transport_messages_received_total", "format", "protobuf"))
                .isEqualTo(1);
        assertThat(value(m, "switchboard_transport_messages_sent_total", "format", "json"))
                .isGreaterThanOrEqualTo(3);
        assertThat(value(m, "switchboard_transport_messages_sent_total", "format", "protobuf"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(m, "switchboard_transport_messages_received_bytes_total", "format", "json"))
                .isGreaterThan(50);
        assertThat(value(m, "switchboard_transport_messages_sent_bytes_total", "format", "json"))
                .isGreaterThan(50);
        assertThat(value(m, "switchboard_engine_up")).isEqualTo(1);
        assertThat(value(m, "switchboard_node_start_time_seconds")).isGreaterThan(1.7e9);
        assertThat(value(m, "switchboard_cluster_nodes")).isEqualTo(1);
    }

    @Test
    void aRedisNodeTimesRedisCommandsAndSeesTheClusterAndEveryDeployedQueryFindsItsMetric() throws Exception {
        String redisYaml =
                String.join("\n", "engine: redis", "redis:", "  url: " + redis.url(), "  prefix: " + prefix, "");
        SwitchboardServer server = start(redisYaml + backendsYaml());
        ApiClient api = new ApiClient(TestServers.apiUrl(server), TestServers.API_KEY);

        WsTestClient ws = track(WsTestClient.open(TestServers.wsUrl(server)));
        ws.connect(TestServers.token("u1"));
        ws.send("{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}");
        ws.reply(2);
        api.publish("news", "{\"n\":1}");
        ws.push("news", "pub");
        track(new TestAgent(TestServers.wsUrl(server), "sdk", "proj-1:staging", "agent-A"));
        await().atMost(Duration.ofSeconds(3))
                .until(() -> server.node()
                        .connection(InvokeTarget.routingKey("proj-1:staging"))
                        .join()
                        .isPresent());
        ApiClient.Response invoked = api.call(
                "invoke",
                "{\"routing_key\":\"proj-1:staging\",\"method\":\"echo\",\"data\":{\"n\":1},\"timeout\":5000}");
        assertThat(invoked.status()).as("%s", invoked).isEqualTo(200);

        // The cluster gauges read the registry in the background: a later scrape sees this node's clients.
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> value(scrape(server), "switchboard_cluster_clients") >= 2);
        Map<String, Double> m = scrape(server);
        assertThat(value(m, "switchboard_redis_command_seconds_count")).isGreaterThan(5);
        Set<String> commands = new TreeSet<>();
        m.keySet().stream()
                .filter(k -> k.startsWith("switchboard_redis_command_seconds_count{"))
                .forEach(k -> commands.add(label(k, "command")));
        assertThat(commands).as("Redis commands timed").contains("PUBLISH").hasSizeLessThan(40);
        assertThat(value(m, "switchboard_engine_up")).isEqualTo(1);
        assertThat(value(m, "switchboard_cluster_nodes")).isEqualTo(1);
        assertThat(value(m, "switchboard_api_calls_seconds_count", "method", "invoke", "outcome", "ok"))
                .isEqualTo(1);
        assertThat(value(m, "switchboard_invocations_seconds_count", "outcome", "ok"))
                .isEqualTo(1);
        assertThat(m).containsKey("switchboard_redis_pubsub_restarts_total");

        // Every name the dashboard and the alerts read is exported by one of the two nodes (this one,
        // and a memory node for the memory-only meters).
        Set<String> exported = new TreeSet<>(names(m));
        SwitchboardServer memory = start(backendsYaml());
        // jvm_gc_pause_seconds exists once a collection happened after the registry was made:
        // ask for one and wait for its notification, so the check does not depend on luck.
        System.gc();
        await().atMost(Duration.ofSeconds(5)).until(() -> names(scrape(memory)).contains("jvm_gc_pause_seconds_sum"));
        exported.addAll(names(scrape(memory)));
        exported.add("up"); // Prometheus' own, per scrape target
        List<String> exprs = new ArrayList<>(DeployedQueries.dashboardExprs());
        exprs.addAll(DeployedQueries.alertExprs());
        Map<String, String> missing = new TreeMap<>();
        for (String expr : exprs) {
            for (String name : DeployedQueries.metricNames(expr)) {
                if (!exported.contains(name)) {
                    missing.put(name, expr);
                }
            }
        }
        assertThat(missing).as("metrics named by deploy/ but not on /metrics").isEmpty();
    }

    /** The metric names of a scrape (series without their labels). */
    private static Set<String> names(Map<String, Double> samples) {
        Set<String> out = new TreeSet<>();
        for (String k : samples.keySet()) {
            int brace = k.indexOf('{');
            out.add(brace < 0 ? k : k.substring(0, brace));
        }
        return out;
    }

    /** GET /metrics, parsed: each series (name and labels as written) to its value. */
    static Map<String, Double> scrape(SwitchboardServer s) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/metrics"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Double> out = new HashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int split = line.lastIndexOf(' ');
            out.put(line.substring(0, split), Double.parseDouble(line.substring(split + 1)));
        }
        return out;
    }

    /** The sum of a metric's series that carry every given label pair. */
    static double value(Map<String, Double> samples, String name, String... labels) {
        double sum = 0;
        boolean found = false;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String k = e.getKey();
            if (!(k.equals(name) || k.startsWith(name + "{"))) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < labels.length; i += 2) {
                match &= labels[i + 1].equals(label(k, labels[i]));
            }
            if (match) {
                sum += e.getValue();
                found = true;
            }
        }
        assertThat(found)
                .as("a series %s %s in the scrape", name, List.of(labels))
                .isTrue();
        return sum;
    }

    private static String label(String series, String label) {
        String key = label + "=\"";
        int i = series.indexOf(key);
        if (i < 0 || (series.charAt(i - 1) != '{' && series.charAt(i - 1) != ',')) {
            return null;
        }
        int start = i + key.length();
        return series.substring(start, series.indexOf('"', start));
    }
}
