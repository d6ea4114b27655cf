package dev.switchboard.server.sdk;

import static dev.switchboard.server.sdk.Sdk.WAIT_SECONDS;
import static dev.switchboard.server.sdk.Sdk.await;
import static dev.switchboard.server.sdk.Sdk.data;
import static dev.switchboard.server.sdk.Sdk.into;
import static dev.switchboard.server.sdk.Sdk.options;
import static dev.switchboard.server.sdk.Sdk.take;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.rpc.InvokeTarget;
import dev.switchboard.server.sdk.Sdk.Events;
import dev.switchboard.server.sdk.Sdk.Session;
import dev.switchboard.server.sdk.Sdk.SubEvents;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.transport.SwitchboardServer;
import io.github.centrifugal.centrifuge.Client;
import io.github.centrifugal.centrifuge.ConnectedEvent;
import io.github.centrifugal.centrifuge.ConnectionTokenEvent;
import io.github.centrifugal.centrifuge.ConnectionTokenGetter;
import io.github.centrifugal.centrifuge.HistoryOptions;
import io.github.centrifugal.centrifuge.HistoryResult;
import io.github.centrifugal.centrifuge.Options;
import io.github.centrifugal.centrifuge.PresenceResult;
import io.github.centrifugal.centrifuge.PresenceStatsResult;
import io.github.centrifugal.centrifuge.PublicationEvent;
import io.github.centrifugal.centrifuge.PublishResult;
import io.github.centrifugal.centrifuge.RPCResult;
import io.github.centrifugal.centrifuge.ReplyError;
import io.github.centrifugal.centrifuge.SubscribedEvent;
import io.github.centrifugal.centrifuge.Subscription;
import io.github.centrifugal.centrifuge.TokenCallback;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Java SDK, centrifuge-java (protobuf only) from Maven Central, against a node in
 * this JVM: it offers the {@code centrifuge-protobuf} subprotocol, so this is the protobuf
 * encoding end to end, with a client nobody on this team wrote.
 */
class CentrifugeJavaIT {

    private static SwitchboardServer server;

    @BeforeAll
    static void start() {
        server = TestServers.start("", b -> b.rpc("echo", req -> CompletableFuture.completedFuture(req.data())));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void connectSubscribeReceiveHistoryPresenceRpcAndPublish() throws Exception {
        try (Session session = new Session(TestServers.wsUrl(server), "java-user", "java-news")) {
            Client client = session.client;
            Subscription sub = session.sub;
            SubEvents subEvents = session.subEvents;
            ConnectedEvent connected = session.connected;
            assertThat(connected.getClient()).isNotEmpty();
            SubscribedEvent subscribed = session.subscribed;
            assertThat(subscribed.getRecoverable()).isTrue();
            // StreamPosition's getters are package-private in 0.4.1: compare with history below.
            assertThat(subscribed.getStreamPosition()).isNotNull();

            server.node().publish("java-news", "{\"n\":1}".getBytes(UTF_8)).join();
            server.node().publish("java-news", "{\"n\":2}".getBytes(UTF_8)).join();
            PublicationEvent p1 = take(subEvents.publications, "publication 1");
            PublicationEvent p2 = take(subEvents.publications, "publication 2");
            assertThat(List.of(data(p1), data(p2))).containsExactly("{\"n\":1}", "{\"n\":2}");
            assertThat(p2.getOffset()).isEqualTo(p1.getOffset() + 1);

            // A publication from the SDK reaches its own subscription with its publisher's info.
            CompletableFuture<PublishResult> published = new CompletableFuture<>();
            sub.publish("{\"from\":\"java\"}".getBytes(UTF_8), into(published));
            await(published);
            PublicationEvent own = take(subEvents.publications, "own publication");
            assertThat(data(own)).isEqualTo("{\"from\":\"java\"}");
            assertThat(own.getInfo().getUser()).isEqualTo("java-user");

            CompletableFuture<HistoryResult> history = new CompletableFuture<>();
            sub.history(new HistoryOptions.Builder().withLimit(10).build(), into(history));
            HistoryResult h = await(history);
            assertThat(h.getPublications())
                    .extracting(p -> new String(p.getData(), UTF_8))
                    .containsExactly("{\"n\":1}", "{\"n\":2}", "{\"from\":\"java\"}");
            assertThat(h.getEpoch()).isNotEmpty();
            assertThat(h.getOffset()).isEqualTo(own.getOffset());

            CompletableFuture<PresenceResult> presence = new CompletableFuture<>();
            sub.presence(into(presence));
            assertThat(await(presence).getClients()).containsKey(connected.getClient());
            assertThat(await(presence).getClients().get(connected.getClient()).getUser())
                    .isEqualTo("java-user");
            CompletableFuture<PresenceStatsResult> stats = new CompletableFuture<>();
            sub.presenceStats(into(stats));
            assertThat(await(stats).getNumClients()).isEqualTo(1);
            assertThat(await(stats).getNumUsers()).isEqualTo(1);

            CompletableFuture<RPCResult> rpc = new CompletableFuture<>();
            client.rpc("echo", "{\"ping\":true}".getBytes(UTF_8), into(rpc));
            assertThat(new String(await(rpc).getData(), UTF_8)).isEqualTo("{\"ping\":true}");

            CompletableFuture<RPCResult> missing = new CompletableFuture<>();
            client.rpc("no-such-method", "{}".getBytes(UTF_8), into(missing));
            Throwable failure = missing.handle((r, e) -> e).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(failure).as("rpc without a handler fails").isNotNull();
            assertThat(failure).isInstanceOf(ReplyError.class);
            assertThat(((ReplyError) failure).getCode()).isEqualTo(108);
        }
    }

    @Test
    void afterAReconnectTheSubscriptionRecoversExactlyWhatItMissed() throws Exception {
        try (Session session = new Session(TestServers.wsUrl(server), "java-recover", "java-recovery")) {
            Client client = session.client;
            Events events = session.events;
            SubEvents subEvents = session.subEvents;
            server.node()
                    .publish("java-recovery", "{\"seen\":1}".getBytes(UTF_8))
                    .join();
            assertThat(data(take(subEvents.publications, "live publication"))).isEqualTo("{\"seen\":1}");

            client.disconnect();
            take(events.disconnected, "disconnected");
            // Publish only once the node has let the old socket go: centrifuge-java (0.4.1 to 0.7.0)
            // still hands frames of a closing socket to the client after connect() is called again, so a
            // publication pushed on it then moves the offset and the recovery starts after it.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(Sdk.WAIT_SECONDS))
                    .until(() -> !server.node().channels("java-recovery").containsKey("java-recovery"));
            for (int i = 1; i <= 3; i++) {
                server.node()
                        .publish("java-recovery", ("{\"missed\":" + i + "}").getBytes(UTF_8))
                        .join();
            }
            client.connect();
            SubscribedEvent resubscribed = take(subEvents.subscribed, "resubscribe");
            assertThat(resubscribed.wasRecovering()).isTrue();
            assertThat(resubscribed.getRecovered()).isTrue();
            List<String> recovered = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                recovered.add(data(take(subEvents.publications, "recovered " + i)));
            }
            assertThat(recovered).containsExactly("{\"missed\":1}", "{\"missed\":2}", "{\"missed\":3}");
            assertThat(subEvents.publications.poll(300, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void anInvocationIsAnsweredByTheSdksOwnMessageHandlerAndSend() throws Exception {
        Events events = new Events(true);
        Client client = new Client(TestServers.wsUrl(server), options("java-agent"), events);
        try {
            client.connect();
            String clientId = await(events.connected).getClient();
            byte[] result = server.node()
                    .invoke(InvokeTarget.client(clientId), "sum", "[2,3,4]".getBytes(UTF_8), Duration.ofSeconds(5))
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(new String(result, UTF_8)).isEqualTo("9");
        } finally {
            client.close(1000);
        }
    }

    @Test
    void aTokenAboutToExpireIsRefreshedThroughTheSdksTokenGetter() throws Exception {
        java.util.concurrent.atomic.AtomicInteger refreshes = new java.util.concurrent.atomic.AtomicInteger();
        Options opts = new Options();
        // Expires in 2 s; the node tells the SDK the ttl, and the SDK asks the getter before then.
        opts.setToken(TestServers.tokens().connectToken("java-refresh", Duration.ofSeconds(2), List.of(), null));
        opts.setTokenGetter(new ConnectionTokenGetter() {
            @Override
            public void getConnectionToken(ConnectionTokenEvent event, TokenCallback cb) {
                refreshes.incrementAndGet();
                cb.Done(
                        null,
                        TestServers.tokens().connectToken("java-refresh", Duration.ofSeconds(2), List.of(), null));
            }
        });
        Events events = new Events();
        Client client = new Client(TestServers.wsUrl(server), opts, events);
        try {
            client.connect();
            await(events.connected);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (refreshes.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            // Two refreshes: each new token was accepted and told the SDK its own ttl.
            assertThat(refreshes.get()).isGreaterThanOrEqualTo(2);
            assertThat(events.disconnected).isEmpty();
            assertThat(client.getState()).isEqualTo(io.github.centrifugal.centrifuge.ClientState.CONNECTED);
        } finally {
            client.close(1000);
        }
    }

    @Test
    void serverPingsAreEmptyRepliesTheSdkAnswersWithEmptyCommands() throws Exception {
        // A node that pings every second and cuts a client that has not answered within 500 ms.
        SwitchboardServer pinging = TestServers.start(
                "client:\n  ping_interval: 1s\n  pong_timeout: 500ms\n",
                b -> b.rpc("echo", req -> CompletableFuture.completedFuture(req.data())));
        Events events = new Events();
        Options opts = options("java-ping");
        Client client = new Client("ws://127.0.0.1:" + pinging.port() + "/connection/websocket", opts, events);
        try {
            client.connect();
            await(events.connected);
            Thread.sleep(3_500);
            assertThat(events.disconnected).as("no 3012 after three pings").isEmpty();
            CompletableFuture<RPCResult> rpc = new CompletableFuture<>();
            client.rpc("echo", "1".getBytes(UTF_8), into(rpc));
            assertThat(new String(await(rpc).getData(), UTF_8)).isEqualTo("1");
        } finally {
            client.close(1000);
            pinging.close();
        }
    }
}
