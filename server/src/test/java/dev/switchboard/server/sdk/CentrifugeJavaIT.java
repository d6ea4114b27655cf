package dev.switchboard.server.sdk;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.core.rpc.InvokeTarget;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.transport.SwitchboardServer;
import io.github.centrifugal.centrifuge.Client;
import io.github.centrifugal.centrifuge.ConnectedEvent;
import io.github.centrifugal.centrifuge.ConnectionTokenEvent;
import io.github.centrifugal.centrifuge.ConnectionTokenGetter;
import io.github.centrifugal.centrifuge.DisconnectedEvent;
import io.github.centrifugal.centrifuge.EventListener;
import io.github.centrifugal.centrifuge.HistoryOptions;
import io.github.centrifugal.centrifuge.HistoryResult;
import io.github.centrifugal.centrifuge.MessageEvent;
import io.github.centrifugal.centrifuge.Options;
import io.github.centrifugal.centrifuge.PresenceResult;
import io.github.centrifugal.centrifuge.PresenceStatsResult;
import io.github.centrifugal.centrifuge.PublicationEvent;
import io.github.centrifugal.centrifuge.PublishResult;
import io.github.centrifugal.centrifuge.RPCResult;
import io.github.centrifugal.centrifuge.ReplyError;
import io.github.centrifugal.centrifuge.ResultCallback;
import io.github.centrifugal.centrifuge.SubscribedEvent;
import io.github.centrifugal.centrifuge.Subscription;
import io.github.centrifugal.centrifuge.SubscriptionEventListener;
import io.github.centrifugal.centrifuge.TokenCallback;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Java SDK, centrifuge-java (protobuf only) from Maven Central, against a node in
 * this JVM: it offers the {@code centrifuge-protobuf} subprotocol, so this is the protobuf
 * encoding end to end, with a client nobody on this team wrote.
 */
class CentrifugeJavaIT {

    private static final long WAIT_SECONDS = 10;

    private static SwitchboardServer server;

    @BeforeAll
    static void start() {
        server = TestServers.start("", b -> b.rpc("echo", req -> CompletableFuture.completedFuture(req.data())));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Events of one client, in arrival order. */
    private static final class Events extends EventListener {
        final CompletableFuture<ConnectedEvent> connected = new CompletableFuture<>();
        final BlockingQueue<DisconnectedEvent> disconnected = new LinkedBlockingQueue<>();
        final BlockingQueue<MessageEvent> messages = new LinkedBlockingQueue<>();
        volatile Client replyWith;

        @Override
        public void onConnected(Client client, ConnectedEvent event) {
            connected.complete(event);
        }

        @Override
        public void onDisconnected(Client client, DisconnectedEvent event) {
            disconnected.add(event);
        }

        @Override
        public void onMessage(Client client, MessageEvent event) {
            messages.add(event);
        }
    }

    /** Events of one subscription. */
    private static final class SubEvents extends SubscriptionEventListener {
        final BlockingQueue<SubscribedEvent> subscribed = new LinkedBlockingQueue<>();
        final BlockingQueue<PublicationEvent> publications = new LinkedBlockingQueue<>();

        @Override
        public void onSubscribed(Subscription sub, SubscribedEvent event) {
            subscribed.add(event);
        }

        @Override
        public void onPublication(Subscription sub, PublicationEvent event) {
            publications.add(event);
        }
    }

    private static <T> T take(BlockingQueue<T> q, String what) throws InterruptedException {
        T v = q.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(v).as(what).isNotNull();
        return v;
    }

    private static <T> ResultCallback<T> into(CompletableFuture<T> f) {
        return (err, result) -> {
            if (err != null) {
                f.completeExceptionally(err);
            } else {
                f.complete(result);
            }
        };
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static Client client(String user, Events events) {
        Options opts = new Options();
        opts.setToken(TestServers.token(user));
        return new Client(TestServers.wsUrl(server), opts, events);
    }

    /** A connected client with one subscription, subscribed. */
    private static final class Session implements AutoCloseable {
        final Events events = new Events();
        final SubEvents subEvents = new SubEvents();
        final Client client;
        final Subscription sub;
        final ConnectedEvent connected;
        final SubscribedEvent subscribed;

        Session(String user, String channel) throws Exception {
            client = client(user, events);
            sub = client.newSubscription(channel, subEvents);
            sub.subscribe();
            client.connect();
            connected = await(events.connected);
            subscribed = take(subEvents.subscribed, "subscribed");
        }

        @Override
        public void close() throws InterruptedException {
            client.close(1000);
        }
    }

    private static String data(PublicationEvent e) {
        return new String(e.getData(), UTF_8);
    }

    @Test
    void connectSubscribeReceiveHistoryPresenceRpcAndPublish() throws Exception {
        try (Session session = new Session("java-user", "java-news")) {
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
        try (Session session = new Session("java-recover", "java-recovery")) {
            Client client = session.client;
            Events events = session.events;
            SubEvents subEvents = session.subEvents;
            server.node()
                    .publish("java-recovery", "{\"seen\":1}".getBytes(UTF_8))
                    .join();
            assertThat(data(take(subEvents.publications, "live publication"))).isEqualTo("{\"seen\":1}");

            client.disconnect();
            take(events.disconnected, "disconnected");
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
        Events events = new Events();
        Client client = new Client(TestServers.wsUrl(server), tokenOptions("java-agent"), new EventListener() {
            @Override
            public void onConnected(Client c, ConnectedEvent event) {
                events.connected.complete(event);
            }

            @Override
            public void onMessage(Client c, MessageEvent event) {
                // The app code an invocation needs with a stock SDK: read sb_invoke, send sb_result.
                try {
                    JsonNode call =
                            ProtocolCodec.mapper().readTree(event.getData()).get("sb_invoke");
                    int sum = 0;
                    for (JsonNode n : call.get("data")) {
                        sum += n.asInt();
                    }
                    String answer = "{\"sb_result\":{\"id\":\"" + call.get("id").asText() + "\",\"data\":" + sum + "}}";
                    c.send(answer.getBytes(UTF_8), err -> {});
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
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
        Options opts = tokenOptions("java-ping");
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

    private static Options tokenOptions(String user) {
        Options opts = new Options();
        opts.setToken(TestServers.token(user));
        return opts;
    }
}
