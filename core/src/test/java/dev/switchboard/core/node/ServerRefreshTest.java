package dev.switchboard.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.engine.contract.ManualClock;
import dev.switchboard.core.hook.ConnectDecision;
import dev.switchboard.core.hook.ConnectRequest;
import dev.switchboard.core.hook.RefreshDecision;
import dev.switchboard.core.hook.RefreshRequest;
import dev.switchboard.core.protocol.Disconnect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Expiry set by a connect hook, and server-side refresh through a refresh hook, on a hand-moved clock. */
class ServerRefreshTest {

    private final ManualClock clock = new ManualClock();
    private final long now = clock.millis() / 1000;
    private final List<RefreshRequest> asked = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<RefreshDecision>> answers = new CopyOnWriteArrayList<>();
    private final List<ConnectRequest> connects = new CopyOnWriteArrayList<>();
    private Node node;
    private byte[] connectMeta;

    private Node start(boolean withRefresh, long expireAt) {
        var b = Node.builder()
                .options(NodeOptions.builder()
                        .pingInterval(Duration.ofHours(1))
                        .clientExpiredCloseDelay(Duration.ofSeconds(5))
                        .build())
                .clock(clock)
                .onConnect(req -> {
                    connects.add(req);
                    return CompletableFuture.completedFuture(ConnectDecision.allowAs("u1", null)
                            .withExpireAt(expireAt)
                            .withMeta(connectMeta));
                });
        if (withRefresh) {
            b.onRefresh(req -> {
                asked.add(req);
                CompletableFuture<RefreshDecision> f = new CompletableFuture<>();
                answers.add(f);
                return f;
            });
        }
        node = b.build().start();
        return node;
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private RecordingTransport connect() {
        RecordingTransport t = new RecordingTransport();
        t.headers = Map.of("cookie", List.of("s=1"));
        node.newClient(t).handleFrame("{\"id\":1,\"connect\":{}}".getBytes(StandardCharsets.UTF_8));
        return t;
    }

    private void advance(Duration d) throws Exception {
        clock.advance(d);
        node.scheduler().submit(node::tick).get();
    }

    @Test
    void withoutARefreshHookAHookExpiryWorksAsATokenExpiry() throws Exception {
        start(false, now + 60);
        RecordingTransport t = connect();
        assertThat(connects.get(0).headers())
                .as("the transport's headers reach the hook")
                .isEqualTo(Map.of("cookie", List.of("s=1")));
        assertThat(t.reply(1).at("/connect/expires").asBoolean()).isTrue();
        assertThat(t.reply(1).at("/connect/ttl").asLong()).isEqualTo(60);
        advance(Duration.ofSeconds(65));
        assertThat(t.closed).isNull();
        advance(Duration.ofMillis(1));
        assertThat(t.closed).isEqualTo(Disconnect.EXPIRED);
    }

    @Test
    void anExpiryAlreadyPastIsRefusedAsAnExpiredToken() throws Exception {
        start(false, now - 1);
        RecordingTransport t = connect();
        assertThat(t.reply(1).at("/error/code").asInt()).isEqualTo(109);
    }

    @Test
    void withARefreshHookTheReplyPromisesNoExpiryAndTheHookIsAskedOnceWhenItComes() throws Exception {
        start(true, now + 60);
        RecordingTransport t = connect();
        assertThat(t.reply(1).at("/connect").has("expires")).isFalse();
        assertThat(t.reply(1).at("/connect").has("ttl")).isFalse();

        advance(Duration.ofSeconds(60));
        assertThat(asked).isEmpty();
        advance(Duration.ofSeconds(1));
        advance(Duration.ofSeconds(1));
        assertThat(asked).as("one call while the first is out").hasSize(1);
        assertThat(asked.get(0).userId()).isEqualTo("u1");
        assertThat(asked.get(0).expireAt()).isEqualTo(now + 60);

        answers.get(0).complete(RefreshDecision.extend(now + 600, "{\"v\":2}".getBytes(StandardCharsets.UTF_8)));
        advance(Duration.ofSeconds(60));
        assertThat(t.closed).as("extended").isNull();
        assertThat(asked).hasSize(1);

        advance(Duration.ofSeconds(600));
        assertThat(asked).hasSize(2);
        answers.get(1).complete(RefreshDecision.expire());
        assertThat(t.closed).isEqualTo(Disconnect.EXPIRED);
    }

    @Test
    void aRefreshHookCanDisconnectWithItsOwnCodeAndAFailedOneClosesWithServerError() throws Exception {
        start(true, now + 10);
        RecordingTransport a = connect();
        RecordingTransport b = connect();
        advance(Duration.ofSeconds(11));
        assertThat(asked).hasSize(2);
        answers.get(0).complete(RefreshDecision.disconnect(new Disconnect(4100, "banned")));
        answers.get(1).completeExceptionally(new IllegalStateException("boom"));
        assertThat(List.of(a.closed.code(), b.closed.code())).containsExactlyInAnyOrder(4100, 3004);
    }

    @Test
    void anExtensionToATimeAlreadyPastEndsTheConnection() throws Exception {
        start(true, now + 10);
        RecordingTransport t = connect();
        advance(Duration.ofSeconds(11));
        answers.get(0).complete(RefreshDecision.extend(now + 5, null));
        assertThat(t.closed).isEqualTo(Disconnect.EXPIRED);
    }

    private static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void aRefreshSeesTheConnectionsMetaAndMayReplaceIt() throws Exception {
        connectMeta = "{\"v\":1}".getBytes(StandardCharsets.UTF_8);
        start(true, now + 60);
        RecordingTransport t = connect();
        advance(Duration.ofSeconds(61));
        assertThat(str(asked.get(0).meta())).isEqualTo("{\"v\":1}");

        answers.get(0)
                .complete(
                        RefreshDecision.extend(now + 120, null).withMeta("{\"v\":2}".getBytes(StandardCharsets.UTF_8)));
        advance(Duration.ofSeconds(60));
        assertThat(str(asked.get(1).meta())).as("replaced").isEqualTo("{\"v\":2}");

        answers.get(1).complete(RefreshDecision.extend(now + 180, null));
        advance(Duration.ofSeconds(60));
        assertThat(str(asked.get(2).meta()))
                .as("an answer without meta keeps it")
                .isEqualTo("{\"v\":2}");
        assertThat(t.messages).allSatisfy(m -> assertThat(str(m)).doesNotContain("\"v\""));
    }
}
