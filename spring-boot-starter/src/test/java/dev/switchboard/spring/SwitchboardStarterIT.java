package dev.switchboard.spring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.client.ClientState;
import dev.switchboard.client.Publication;
import dev.switchboard.client.StateEvent;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.core.node.Node;
import dev.switchboard.core.rpc.InvokeTarget;
import dev.switchboard.transport.SwitchboardServer;
import dev.switchboard.transport.auth.TokenGenerator;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A real Spring Boot application with the starter on its classpath, configured only by
 * properties: a Java client connects over a real socket with a token signed by the configured
 * secret, receives what the application publishes through the {@link Node} bean, answers a
 * method the application invokes on it, and calls an RPC the application added with a
 * {@link SwitchboardCustomizer}. Actuator sees the node's health and its meters.
 */
class SwitchboardStarterIT {

    static final String SECRET = "starter-it-secret-long-enough-for-hs256";
    static final String API_KEY = "starter-it-api-key";
    static final ObjectMapper JSON = new ObjectMapper();

    /** The application: only its own code; Switchboard comes from the auto-configuration. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        SwitchboardCustomizer greetings() {
            return builder -> builder.rpc(
                    "greet",
                    req -> CompletableFuture.completedFuture(
                            ("{\"hello\":\"" + req.client().user() + "\"}").getBytes(UTF_8)));
        }
    }

    static ConfigurableApplicationContext app;
    static final TokenGenerator tokens = TokenGenerator.hmac(SECRET);
    final List<SwitchboardClient> clients = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startApplication() {
        app = start();
    }

    @AfterAll
    static void stopApplication() {
        if (app != null) {
            app.close();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(SwitchboardClient::close);
    }

    static ConfigurableApplicationContext start(String... extraProperties) {
        return new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties(extraProperties)
                .properties(Map.of(
                        "switchboard.port", "0",
                        "switchboard.address", "127.0.0.1",
                        "switchboard.token.hmac-secret", SECRET,
                        "switchboard.api-key", API_KEY,
                        "switchboard.client.ping-interval", "5s",
                        "switchboard.client.pong-timeout", "2s",
                        "switchboard.channel.namespaces[0].name", "news",
                        "switchboard.channel.namespaces[0].allow-subscribe-for-client", "true",
                        "switchboard.channel.namespaces[0].history-size", "10",
                        "switchboard.channel.namespaces[0].history-ttl", "5m"))
                .run();
    }

    @Test
    void aClientReceivesWhatTheApplicationPublishesThroughTheNodeBean() throws Exception {
        SwitchboardClient client = connected(app, "alice");
        BlockingQueue<Publication> received = new LinkedBlockingQueue<>();
        client.newSubscription("news:sports")
                .onPublication(received::add)
                .subscribe()
                .get(5, TimeUnit.SECONDS);

        long offset = app.getBean(Node.class)
                .publish("news:sports", "{\"score\":\"2-1\"}".getBytes(UTF_8))
                .get(5, TimeUnit.SECONDS)
                .offset();

        Publication p = received.poll(5, TimeUnit.SECONDS);
        assertThat(p).as("publication delivered").isNotNull();
        assertThat(p.json().get("score").asText()).isEqualTo("2-1");
        assertThat(p.offset())
                .as("history from the namespace's properties")
                .isEqualTo(offset)
                .isPositive();
    }

    @Test
    void theApplicationInvokesAMethodOnTheClientAndGetsItsAnswer() throws Exception {
        SwitchboardClient client = builder(app, "agent-7").build();
        client.handle(
                "add",
                args -> CompletableFuture.completedFuture(
                        Map.of("sum", args.get(0).asInt() + args.get(1).asInt())));
        clients.add(client);
        client.connect().get(5, TimeUnit.SECONDS);
        Node node = app.getBean(Node.class);

        byte[] byClient = node.invoke(
                        InvokeTarget.client(client.clientId()), "add", "[2,3]".getBytes(UTF_8), Duration.ofSeconds(5))
                .get(10, TimeUnit.SECONDS);
        assertThat(JSON.readTree(byClient).get("sum").asInt()).isEqualTo(5);

        byte[] byUser = node.invoke(
                        InvokeTarget.user("agent-7"), "add", "[40,2]".getBytes(UTF_8), Duration.ofSeconds(5))
                .get(10, TimeUnit.SECONDS);
        assertThat(JSON.readTree(byUser).get("sum").asInt()).isEqualTo(42);
    }

    @Test
    void anRpcHandlerAddedByACustomizerAnswersTheClient() throws Exception {
        JsonNode reply = connected(app, "bob").rpc("greet", "{}").get(5, TimeUnit.SECONDS);
        assertThat(reply.get("hello").asText()).isEqualTo("bob");
    }

    @Test
    void actuatorHealthShowsTheNodeUpWithItsEngineAndClients() throws Exception {
        connected(app, "carol");
        HealthComponent health = app.getBean(HealthEndpoint.class).healthForPath("switchboard");
        assertThat(health).isNotNull();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        @SuppressWarnings("unchecked")
        Map<String, Object> details =
                (Map<String, Object>) JSON.convertValue(health, Map.class).get("details");
        assertThat(details)
                .containsEntry("engine", "memory")
                .containsEntry("engineStatus", "UP")
                .containsEntry("clients", 1)
                .containsKey("node");
        assertThat(app.getBean(HealthEndpoint.class).health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void theNodesMetersAreInTheApplicationsRegistry() throws Exception {
        MeterRegistry registry = app.getBean(MeterRegistry.class);
        assertThat(app.getBean(SwitchboardServer.class).meterRegistry()).isSameAs(registry);
        connected(app, "dave");
        assertThat(registry.get("switchboard_clients").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("switchboard_client_connects").counter().count())
                .isGreaterThanOrEqualTo(1.0);
        // The app's registry is Actuator's business: the node's port does not serve it unless asked.
        assertThat(get(app, "/metrics", null).statusCode()).isEqualTo(404);
    }

    @Test
    void askedForItTheNodesMetricsEndpointServesTheApplicationsPrometheusRegistry() throws Exception {
        // Boot's registry here is a Prometheus one (micrometer-registry-prometheus is on the classpath).
        try (ConfigurableApplicationContext exposed = start("switchboard.metrics.enabled=true")) {
            connected(exposed, "gina");
            String metrics = get(exposed, "/metrics", null).body();
            assertThat(metrics).contains("switchboard_clients 1.0").contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void theBoundPortIsAPropertyAndTheServerApiUsesTheConfiguredKey() throws Exception {
        int port = app.getBean(SwitchboardServer.class).port();
        assertThat(port).isPositive();
        assertThat(app.getEnvironment().getProperty(SwitchboardLifecycle.PORT_PROPERTY, Integer.class))
                .isEqualTo(port);
        assertThat(get(app, "/api/info", API_KEY).statusCode()).isEqualTo(200);
        assertThat(get(app, "/api/info", "wrong-key").statusCode()).isEqualTo(401);
    }

    @Test
    void closingTheContextTellsClientsToReconnectAndReleasesThePort() throws Exception {
        ConfigurableApplicationContext second = start();
        int port = second.getBean(SwitchboardServer.class).port();
        SwitchboardLifecycle lifecycle = second.getBean(SwitchboardLifecycle.class);
        SwitchboardClient client = builder(second, "erin").build();
        List<StateEvent> states = new CopyOnWriteArrayList<>();
        client.onStateChange(states::add);
        clients.add(client);
        client.connect().get(5, TimeUnit.SECONDS);

        second.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> client.state() == ClientState.CONNECTING);
        assertThat(states).extracting(StateEvent::code).contains(3001);
        assertThat(lifecycle.isRunning()).isFalse();
        try (ServerSocket again = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void withANonPrometheusRegistryTheMetersAreThereAndTheNodesMetricsEndpointIsOff() throws Exception {
        // Boot then falls back to a SimpleMeterRegistry.
        try (ConfigurableApplicationContext simple = start("management.prometheus.metrics.export.enabled=false")) {
            MeterRegistry registry = simple.getBean(MeterRegistry.class);
            assertThat(registry).isNotInstanceOf(io.micrometer.prometheusmetrics.PrometheusMeterRegistry.class);
            assertThat(simple.getBean(SwitchboardServer.class).meterRegistry()).isSameAs(registry);
            connected(simple, "frank");
            assertThat(registry.get("switchboard_clients").gauge().value()).isEqualTo(1.0);
            assertThat(get(simple, "/metrics", null).statusCode()).isEqualTo(404);
        }
    }

    private SwitchboardClient connected(ConfigurableApplicationContext ctx, String user) throws Exception {
        SwitchboardClient client = builder(ctx, user).build();
        clients.add(client);
        client.connect().get(5, TimeUnit.SECONDS);
        return client;
    }

    private static dev.switchboard.client.ClientBuilder builder(ConfigurableApplicationContext ctx, String user) {
        int port = ctx.getEnvironment().getRequiredProperty(SwitchboardLifecycle.PORT_PROPERTY, Integer.class);
        return SwitchboardClient.builder(URI.create("ws://127.0.0.1:" + port + "/connection/websocket"))
                .token(tokens.connectToken(user, Duration.ofHours(1), List.of(), null))
                .minReconnectDelay(Duration.ofMillis(100))
                .maxReconnectDelay(Duration.ofMillis(500));
    }

    private static HttpResponse<String> get(ConfigurableApplicationContext ctx, String path, String apiKey)
            throws Exception {
        int port = ctx.getBean(SwitchboardServer.class).port();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5));
        if (apiKey != null) {
            request.header("X-API-Key", apiKey).POST(HttpRequest.BodyPublishers.ofString("{}"));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
