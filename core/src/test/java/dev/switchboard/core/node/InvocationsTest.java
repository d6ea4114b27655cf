package dev.switchboard.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.rpc.InvokeException;
import dev.switchboard.core.rpc.InvokeTarget;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Invocations on one node with the memory engine: the wire convention and cleanup. */
class InvocationsTest {

    private final Node node = Node.builder()
            .options(NodeOptions.builder()
                    .channelRules(ClientSessionTest.rules())
                    .build())
            .tokenVerifier(new TestTokens())
            .build()
            .start();

    @AfterEach
    void stop() {
        node.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Client connect(RecordingTransport t, String user) {
        Client c = node.newClient(t);
        c.handleFrame(b("{\"id\":1,\"connect\":{\"token\":\"user:" + user + "\"}}"));
        return c;
    }

    private static JsonNode lastInvocation(RecordingTransport t) {
        JsonNode last = null;
        for (JsonNode n : t.json()) {
            if (n.at("/push/message/data/sb_invoke").isObject()) {
                last = n.at("/push/message/data/sb_invoke");
            }
        }
        return last;
    }

    @Test
    void theClientGetsTheRequestAsAMessagePushAndItsSendAnswersTheCaller() {
        RecordingTransport t = new RecordingTransport();
        Client c = connect(t, "agent");
        CompletableFuture<byte[]> call =
                node.invoke(InvokeTarget.user("agent"), "sum", b("[1,2]"), Duration.ofSeconds(5));
        JsonNode inv = lastInvocation(t);
        assertThat(inv.get("method").asText()).isEqualTo("sum");
        assertThat(inv.get("data").toString()).isEqualTo("[1,2]");
        c.handleFrame(b(
                "{\"send\":{\"data\":{\"sb_result\":{\"id\":\"" + inv.get("id").asText() + "\",\"data\":3}}}}"));
        assertThat(new String(call.join(), StandardCharsets.UTF_8)).isEqualTo("3");
        assertThat(node.pendingInvocations()).isZero();
    }

    @Test
    void anErrorAnswerKeepsTheClientsCodeAndMessage() {
        RecordingTransport t = new RecordingTransport();
        Client c = connect(t, "agent");
        CompletableFuture<byte[]> call = node.invoke(InvokeTarget.client(c.id()), "x", null, Duration.ofSeconds(5));
        String id = lastInvocation(t).get("id").asText();
        c.handleFrame(b("{\"send\":{\"data\":{\"sb_result\":{\"id\":\"" + id
                + "\",\"error\":{\"code\":4001,\"message\":\"no\"}}}}}"));
        assertThatThrownBy(call::join).cause().isInstanceOfSatisfying(InvokeException.class, e -> {
            assertThat(e.reason()).isEqualTo(InvokeException.Reason.CLIENT_ERROR);
            assertThat(e.clientCode()).isEqualTo(4001);
            assertThat(e.getMessage()).isEqualTo("no");
        });
    }

    @Test
    void timeoutCancellationAndDisconnectEachEndTheCallAndLeaveNothingPending() {
        RecordingTransport t = new RecordingTransport();
        Client c = connect(t, "agent");
        CompletableFuture<byte[]> timesOut =
                node.invoke(InvokeTarget.client(c.id()), "x", null, Duration.ofMillis(100));
        assertThatThrownBy(timesOut::join)
                .cause()
                .isInstanceOfSatisfying(
                        InvokeException.class, e -> assertThat(e.reason()).isEqualTo(InvokeException.Reason.TIMEOUT));
        CompletableFuture<byte[]> cancelled =
                node.invoke(InvokeTarget.client(c.id()), "x", null, Duration.ofSeconds(30));
        cancelled.cancel(true);
        CompletableFuture<byte[]> dropped = node.invoke(InvokeTarget.client(c.id()), "x", null, Duration.ofSeconds(30));
        c.close(Disconnect.FORCE_RECONNECT);
        assertThatThrownBy(dropped::join)
                .cause()
                .isInstanceOfSatisfying(
                        InvokeException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvokeException.Reason.CLIENT_DISCONNECTED));
        assertThat(node.pendingInvocations()).isZero();
    }

    @Test
    void nobodyConnectedIsNotConnectedAndAnotherClientCannotAnswer() {
        assertThatThrownBy(() -> node.invoke(InvokeTarget.routingKey("k"), "x", null, Duration.ofSeconds(5))
                        .join())
                .cause()
                .isInstanceOfSatisfying(
                        InvokeException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvokeException.Reason.NOT_CONNECTED));
        RecordingTransport agentT = new RecordingTransport();
        Client agent = connect(agentT, "agent");
        RecordingTransport otherT = new RecordingTransport();
        Client other = connect(otherT, "mallory");
        CompletableFuture<byte[]> call = node.invoke(InvokeTarget.client(agent.id()), "x", null, Duration.ofSeconds(5));
        String id = lastInvocation(agentT).get("id").asText();
        other.handleFrame(b("{\"send\":{\"data\":{\"sb_result\":{\"id\":\"" + id + "\",\"data\":\"forged\"}}}}"));
        assertThat(call).isNotDone();
        agent.handleFrame(b("{\"send\":{\"data\":{\"sb_result\":{\"id\":\"" + id + "\",\"data\":\"real\"}}}}"));
        assertThat(new String(call.join(), StandardCharsets.UTF_8)).isEqualTo("\"real\"");
    }

    @Test
    void dataThatIsNotExactlyOneJsonValueIsRefusedBeforeAnythingIsSent() {
        RecordingTransport t = new RecordingTransport();
        Client c = connect(t, "agent");
        for (String bad : new String[] {"{\"a\":1} garbage", "{\"a\":1} {\"b\":2}", ""}) {
            assertThatThrownBy(() -> node.invoke(InvokeTarget.client(c.id()), "x", b(bad), Duration.ofSeconds(5))
                            .join())
                    .cause()
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("invocation data is not valid JSON");
        }
        assertThat(lastInvocation(t)).isNull();
        assertThat(node.pendingInvocations()).isZero();
    }
}
