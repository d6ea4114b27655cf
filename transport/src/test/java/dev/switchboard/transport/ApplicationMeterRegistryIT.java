package dev.switchboard.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.hook.ConnectDecision;
import dev.switchboard.transport.config.ServerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * An embedding application's {@code MeterRegistry} gets the node's meters, over a real socket:
 * the server never closes it, takes its gauges out of it on close, and serves it at
 * {@code /metrics} only when it is a Prometheus one.
 */
class ApplicationMeterRegistryIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ServerConfig config() {
        return ServerConfig.builder().address("127.0.0.1").port(0).build();
    }

    @Test
    void nodeMetersGoToTheApplicationsRegistryWhichTheServerLeavesOpen() throws Exception {
        SimpleMeterRegistry app = new SimpleMeterRegistry();
        try (SwitchboardServer server = SwitchboardServer.builder()
                .config(config())
                .meterRegistry(app)
                .onConnect(req -> CompletableFuture.completedFuture(ConnectDecision.allowAs("alice", null)))
                .build()
                .start()) {
            assertThat(server.meterRegistry()).isSameAs(app);
            WebSocket ws = HTTP.newWebSocketBuilder()
                    .buildAsync(
                            URI.create("ws://127.0.0.1:" + server.port() + "/connection/websocket"),
                            new WebSocket.Listener() {
                                @Override
                                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                    w.request(1);
                                    return null;
                                }
                            })
                    .get();
            ws.sendText("{\"id\":1,\"connect\":{}}", true).get();
            Gauge clients = app.get("switchboard_clients").gauge();
            await().atMost(Duration.ofSeconds(5)).until(() -> clients.value() == 1.0);
            assertThat(get(server, "/metrics").statusCode())
                    .as("not a Prometheus registry: nothing to serve")
                    .isEqualTo(404);
            ws.abort();
        }
        assertThat(app.isClosed()).isFalse();
        assertThat(app.find("switchboard_clients").gauge())
                .as("a gauge holding the closed node is gone")
                .isNull();
        try (SwitchboardServer next = SwitchboardServer.builder()
                .config(config())
                .meterRegistry(app)
                .build()
                .start()) {
            assertThat(app.get("switchboard_clients").gauge().value())
                    .as("the next server's node")
                    .isZero();
        }
    }

    @Test
    void aPrometheusApplicationRegistryIsServedAtMetrics() throws Exception {
        PrometheusMeterRegistry app = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        app.counter("app_orders").increment();
        try (SwitchboardServer server = SwitchboardServer.builder()
                .config(config())
                .meterRegistry(app)
                .build()
                .start()) {
            HttpResponse<String> metrics = get(server, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("app_orders_total").contains("switchboard_clients");
        }
        assertThat(app.isClosed()).isFalse();
    }

    private static HttpResponse<String> get(SwitchboardServer server, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
