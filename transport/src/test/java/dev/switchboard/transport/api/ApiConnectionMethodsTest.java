package dev.switchboard.transport.api;

import static dev.switchboard.transport.api.ApiTestSupport.assertError;
import static dev.switchboard.transport.api.ApiTestSupport.bytes;
import static dev.switchboard.transport.api.ApiTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.hook.ConnectDecision;
import dev.switchboard.core.node.Client;
import dev.switchboard.core.node.Node;
import dev.switchboard.core.node.NodeOptions;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.transport.api.ApiTestSupport.RecordingTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** API methods that act on live connections: subscribe, unsubscribe, disconnect, refresh, presence, channels. */
class ApiConnectionMethodsTest {

    private final Node node = Node.builder()
            .options(NodeOptions.builder().channelRules(ApiTestSupport.rules()).build())
            .onConnect(req -> CompletableFuture.completedFuture(
                    ConnectDecision.allowAs(userOf(req.data()), bytes("{\"name\":\"Ann\"}"))))
            .build()
            .start();
    private final ApiExecutor api = new ApiExecutor(node);

    @AfterEach
    void stop() {
        node.close();
    }

    private static String userOf(byte[] connectData) {
        try {
            return ProtocolCodec.mapper().readTree(connectData).asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ApiResponse call(String method, String body) {
        return ApiTestSupport.call(api, method, body);
    }

    /** A connected client of {@code user}. */
    private Client connect(String user, RecordingTransport t) {
        Client c = node.newClient(t);
        c.handleFrame(bytes("{\"id\":1,\"connect\":{\"data\":\"" + user + "\"}}"));
        await().atMost(Duration.ofSeconds(5)).until(c::isConnected);
        return c;
    }

    private Client subscribed(String user, RecordingTransport t, String... channels) {
        Client c = connect(user, t);
        for (String ch : channels) {
            ApiResponse r = call("subscribe", "{\"user\":\"" + user + "\",\"channel\":\"" + ch + "\"}");
            assertThat(r.body()).isEqualTo("{\"result\":{}}");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> c.channels().size() == channels.length);
        return c;
    }

    @Test
    void subscribeAddsServerSideSubscriptionVisibleInChannels() {
        subscribed("42", new RecordingTransport(), "chat:a", "news");
        subscribed("43", new RecordingTransport(), "chat:a");

        JsonNode all = json(call("channels", "{}")).at("/result/channels");
        JsonNode chat = json(call("channels", "{\"pattern\":\"chat:*\"}")).at("/result/channels");

        assertThat(all.get("chat:a").get("num_clients").asInt()).isEqualTo(2);
        assertThat(all.get("news").get("num_clients").asInt()).isEqualTo(1);
        assertThat(chat.size()).isEqualTo(1);
        assertThat(chat.has("chat:a")).isTrue();
    }

    @Test
    void presenceListsSubscribedClientsWithConnInfo() {
        Client c = subscribed("42", new RecordingTransport(), "chat:room");

        await().atMost(Duration.ofSeconds(5))
                .until(() -> json(call("presence", "{\"channel\":\"chat:room\"}"))
                                .at("/result/presence")
                                .size()
                        == 1);
        JsonNode entry = json(call("presence", "{\"channel\":\"chat:room\"}")).at("/result/presence/" + c.id());
        JsonNode stats =
                json(call("presence_stats", "{\"channel\":\"chat:room\"}")).get("result");

        assertThat(entry.get("client").asText()).isEqualTo(c.id());
        assertThat(entry.get("user").asText()).isEqualTo("42");
        assertThat(entry.get("conn_info").get("name").asText()).isEqualTo("Ann");
        assertThat(stats.get("num_clients").asInt()).isEqualTo(1);
        assertThat(stats.get("num_users").asInt()).isEqualTo(1);
    }

    @Test
    void unsubscribeEndsTheUsersSubscription() {
        Client c = subscribed("42", new RecordingTransport(), "chat:a");

        ApiResponse r = call("unsubscribe", "{\"user\":\"42\",\"channel\":\"chat:a\"}");

        assertThat(r.body()).isEqualTo("{\"result\":{}}");
        await().atMost(Duration.ofSeconds(5)).until(() -> c.channels().isEmpty());
    }

    @Test
    void subscribeToUnknownNamespaceIsApiError() {
        assertError(call("subscribe", "{\"user\":\"42\",\"channel\":\"nope:a\"}"), 200, 102);
    }

    @Test
    void subscribeWithoutUserIs400() {
        assertError(call("subscribe", "{\"channel\":\"chat:a\"}"), 400, 107);
    }

    @Test
    void disconnectUsesForceDisconnectByDefault() {
        RecordingTransport t = new RecordingTransport();
        connect("42", t);

        assertThat(call("disconnect", "{\"user\":\"42\"}").body()).isEqualTo("{\"result\":{}}");

        await().atMost(Duration.ofSeconds(5)).until(() -> t.closedWith != null);
        assertThat(t.closedWith).isEqualTo(Disconnect.FORCE_NO_RECONNECT);
    }

    @Test
    void disconnectOfOneClientKeepsTheUsersOtherConnections() {
        RecordingTransport first = new RecordingTransport();
        RecordingTransport second = new RecordingTransport();
        Client c1 = connect("42", first);
        connect("42", second);

        call(
                "disconnect",
                "{\"user\":\"42\",\"client\":\"" + c1.id() + "\","
                        + "\"disconnect\":{\"code\":4000,\"reason\":\"moved\"}}");

        await().atMost(Duration.ofSeconds(5)).until(() -> first.closedWith != null);
        assertThat(first.closedWith).isEqualTo(new Disconnect(4000, "moved"));
        assertThat(second.closedWith).isNull();
    }

    @Test
    void disconnectWithCodeOutsideCloseRangeIs400() {
        assertError(call("disconnect", "{\"user\":\"42\",\"disconnect\":{\"code\":1000,\"reason\":\"x\"}}"), 400, 107);
    }

    @Test
    void refreshWithExpiredClosesTheConnection() {
        RecordingTransport t = new RecordingTransport();
        connect("42", t);

        assertThat(call("refresh", "{\"user\":\"42\",\"expired\":true}").body()).isEqualTo("{\"result\":{}}");

        await().atMost(Duration.ofSeconds(5)).until(() -> t.closedWith != null);
        assertThat(t.closedWith.code()).isEqualTo(Disconnect.EXPIRED.code());
    }

    @Test
    void infoCountsConnectedClients() {
        subscribed("42", new RecordingTransport(), "chat:a");

        JsonNode n = json(call("info", "{}")).at("/result/nodes/0");

        assertThat(n.get("num_clients").asInt()).isEqualTo(1);
        assertThat(n.get("num_users").asInt()).isEqualTo(1);
        assertThat(n.get("num_subs").asInt()).isEqualTo(1);
        assertThat(n.get("num_channels").asInt()).isEqualTo(1);
    }
}
