package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.protocol.Disconnect;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Connection life cycle against a real in-process node over real sockets (server pings every 1 s). */
class ConnectionIT {

    ServerFixture fixture;
    SwitchboardClient client;
    final List<StateEvent> states = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        fixture = ServerFixture.start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        fixture.close();
    }

    SwitchboardClient build(ClientBuilder b) {
        client = b.build();
        client.onStateChange(states::add);
        return client;
    }

    @Test
    void connectsWithATokenAndAnswersPingsSoTheServerKeepsIt() throws Exception {
        build(fixture.client("alice")).connect().get(5, TimeUnit.SECONDS);
        assertThat(client.state()).isEqualTo(ClientState.CONNECTED);
        String id = client.clientId();
        assertThat(id).isNotBlank();
        // The node pings every 1 s and drops clients that do not pong within 800 ms (3012).
        Thread.sleep(3_500);
        assertThat(client.state()).isEqualTo(ClientState.CONNECTED);
        assertThat(client.clientId()).isEqualTo(id);
        assertThat(states).extracting(StateEvent::state).containsExactly(ClientState.CONNECTING, ClientState.CONNECTED);
        assertThat(states.get(1).clientId()).isEqualTo(id);
    }

    @Test
    void serverForcedReconnectIsFollowedByANewConnection() throws Exception {
        build(fixture.client("alice")).connect().get(5, TimeUnit.SECONDS);
        String first = client.clientId();
        fixture.server
                .node()
                .disconnect("alice", null, new Disconnect(3011, "force reconnect"))
                .join();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> client.state() == ClientState.CONNECTED && !first.equals(client.clientId()));
        assertThat(states)
                .extracting(StateEvent::state)
                .containsExactly(
                        ClientState.CONNECTING, ClientState.CONNECTED, ClientState.CONNECTING, ClientState.CONNECTED);
        assertThat(states.get(2).code()).isEqualTo(3011);
        assertThat(states.get(2).reason()).isEqualTo("force reconnect");
    }

    @Test
    void terminalCloseCodeStopsTheClientWithoutReconnecting() throws Exception {
        build(fixture.client("alice")).connect().get(5, TimeUnit.SECONDS);
        fixture.server
                .node()
                .disconnect("alice", null, new Disconnect(4500, "account closed"))
                .join();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.state() == ClientState.DISCONNECTED);
        assertThat(states).last().isEqualTo(new StateEvent(ClientState.DISCONNECTED, 4500, "account closed", null));
        Thread.sleep(1_000); // several reconnect delays (100-500 ms)
        assertThat(client.state()).isEqualTo(ClientState.DISCONNECTED);
        assertThat(fixture.server.node().info().numClients()).isZero();
        assertThat(states).hasSize(3);
    }

    @Test
    void disconnectStopsAndConnectResumes() throws Exception {
        build(fixture.client("alice")).connect().get(5, TimeUnit.SECONDS);
        client.disconnect();
        await().until(() -> client.state() == ClientState.DISCONNECTED);
        assertThat(states)
                .last()
                .isEqualTo(new StateEvent(ClientState.DISCONNECTED, StateEvent.CALLED, "disconnect called", null));
        await().until(() -> fixture.server.node().info().numClients() == 0);
        client.connect().get(5, TimeUnit.SECONDS);
        assertThat(client.state()).isEqualTo(ClientState.CONNECTED);
    }

    @Test
    void tokenIsRefreshedBeforeItExpiresAndTheConnectionSurvivesPastIt() throws Exception {
        AtomicInteger refreshes = new AtomicInteger();
        build(fixture.client("alice")
                        .token(fixture.token("alice", Duration.ofSeconds(3)))
                        .tokenSupplier(() -> {
                            refreshes.incrementAndGet();
                            return CompletableFuture.completedFuture(fixture.token("alice", Duration.ofSeconds(3)));
                        }))
                .connect()
                .get(5, TimeUnit.SECONDS);
        String id = client.clientId();
        // expired_close_delay is 0: a connection not refreshed in time is closed (3005) right at expiry.
        // Refreshes come ~1.6 s apart (ttl 3 s, 1 s for rounding, 20% lead): the third is ~1.8 s past
        // the first token's expiry and the node checks expiry every 200 ms.
        await().atMost(Duration.ofSeconds(10)).until(() -> refreshes.get() >= 3);
        assertThat(client.state()).isEqualTo(ClientState.CONNECTED);
        assertThat(client.clientId()).isEqualTo(id);
        assertThat(refreshes.get()).isGreaterThanOrEqualTo(2);
        assertThat(states).extracting(StateEvent::state).containsExactly(ClientState.CONNECTING, ClientState.CONNECTED);
    }

    @Test
    void withoutASupplierTheServerEndsTheExpiredConnectionAndTheClientStopsOn109() throws Exception {
        build(fixture.client("alice").token(fixture.token("alice", Duration.ofSeconds(1))))
                .connect()
                .get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(6)).until(() -> client.state() == ClientState.DISCONNECTED);
        assertThat(states).anySatisfy(e -> assertThat(e.code()).isEqualTo(3005));
        assertThat(states).last().satisfies(e -> assertThat(e.code()).isEqualTo(109));
    }

    @Test
    void expiredTokenAtConnectIsReplacedFromTheSupplier() throws Exception {
        // Minted an hour ago with a one-second lifetime: expired now, with no waiting.
        String expired = fixture.tokens
                .withClock(Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)))
                .connectToken("alice", Duration.ofSeconds(1), List.of(), null);
        AtomicInteger calls = new AtomicInteger();
        build(fixture.client("alice").token(expired).tokenSupplier(() -> {
                    calls.incrementAndGet();
                    return CompletableFuture.completedFuture(fixture.token("alice"));
                }))
                .connect()
                .get(5, TimeUnit.SECONDS);
        assertThat(calls.get()).isEqualTo(1);
        assertThat(states).extracting(StateEvent::state).containsExactly(ClientState.CONNECTING, ClientState.CONNECTED);
    }

    @Test
    void supplierIsAskedWhenThereIsNoInitialToken() throws Exception {
        build(SwitchboardClient.builder(fixture.uri())
                        .tokenSupplier(() -> CompletableFuture.supplyAsync(() -> fixture.token("bob"))))
                .connect()
                .get(5, TimeUnit.SECONDS);
        assertThat(client.state()).isEqualTo(ClientState.CONNECTED);
    }

    @Test
    void invalidTokenIsTerminal() {
        CompletableFuture<Void> connected =
                build(fixture.client("alice").token("not.a.jwt")).connect();
        assertThat(connected)
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(3500));
        assertThat(client.state()).isEqualTo(ClientState.DISCONNECTED);
    }

    @Test
    void nodeRestartOnTheSamePortIsRidenOut() throws Exception {
        build(fixture.client("alice")).connect().get(5, TimeUnit.SECONDS);
        int port = fixture.server.port();
        fixture.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.state() == ClientState.CONNECTING);
        assertThat(states.get(2).code()).isEqualTo(3001);
        fixture = ServerFixture.start(port);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ClientState.CONNECTED);
    }
}
