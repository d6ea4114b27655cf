package dev.switchboard.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.rpc.InvokeException;
import dev.switchboard.core.rpc.InvokeTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Server → client invocations end to end: the node's {@code invoke} pushes {@code sb_invoke}, the
 * client's handler answers with {@code sb_result}, the caller gets the result or the client's error.
 *
 * <p>The node now consumes {@code sb_result} answers itself (they no longer reach the app's send
 * hook), so the exact wire shape of answers is asserted against a scripted server in
 * {@link ProtocolBehaviourIT}; this test proves the real node understands them.
 */
class InvocationIT {

    ServerFixture fixture;
    SwitchboardClient client;
    final ExecutorService app = Executors.newFixedThreadPool(4);

    @BeforeEach
    void start() throws Exception {
        fixture = ServerFixture.start();
        client = fixture.client("agent-1").build();
        client.handle(
                "add",
                d -> CompletableFuture.completedFuture(
                        Map.of("sum", d.get(0).asInt() + d.get(1).asInt())));
        client.handle(
                "slowEcho",
                d -> CompletableFuture.supplyAsync(
                        () -> {
                            sleep(20);
                            return d;
                        },
                        app));
        client.handle("deny", d -> {
            throw new SwitchboardException(4403, "not allowed for this agent");
        });
        client.handle("crash", d -> CompletableFuture.failedFuture(new IllegalStateException("tool crashed")));
        client.connect().get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        client.close();
        fixture.close();
        app.shutdownNow();
    }

    CompletableFuture<byte[]> invoke(String method, String data) {
        return fixture.server
                .node()
                .invoke(
                        InvokeTarget.client(client.clientId()),
                        method,
                        data == null ? null : data.getBytes(UTF_8),
                        Duration.ofSeconds(5));
    }

    static InvokeException invokeError(CompletableFuture<byte[]> call) {
        try {
            call.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(InvokeException.class);
            return (InvokeException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the invocation succeeded");
    }

    @Test
    void handlersResultsReachTheCaller() throws Exception {
        assertThat(ServerFixture.parse(invoke("add", "[2,40]").get(5, TimeUnit.SECONDS)))
                .isEqualTo(ServerFixture.parse("{\"sum\":42}"));
        assertThat(ServerFixture.parse(
                        invoke("slowEcho", "{\"q\":\"x\",\"n\":[1,2]}").get(5, TimeUnit.SECONDS)))
                .isEqualTo(ServerFixture.parse("{\"q\":\"x\",\"n\":[1,2]}"));
    }

    @Test
    void handlerErrorsReachTheCallerWithTheClientsCodeAndMessage() {
        InvokeException denied = invokeError(invoke("deny", "null"));
        assertThat(denied.reason()).isEqualTo(InvokeException.Reason.CLIENT_ERROR);
        assertThat(denied.clientCode()).isEqualTo(4403);
        assertThat(denied.getMessage()).isEqualTo("not allowed for this agent");

        InvokeException crashed = invokeError(invoke("crash", "{}"));
        assertThat(crashed.clientCode()).isEqualTo(500);
        assertThat(crashed.getMessage()).isEqualTo("tool crashed");

        InvokeException unknown = invokeError(invoke("unknown", "{}"));
        assertThat(unknown.reason()).isEqualTo(InvokeException.Reason.CLIENT_ERROR);
        assertThat(unknown.clientCode()).isEqualTo(404);
        assertThat(unknown.getMessage()).isEqualTo("method not found");
    }

    @Test
    void concurrentInvocationsEachGetTheirOwnAnswerAndNothingStaysPending() throws Exception {
        List<CompletableFuture<byte[]>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(invoke("slowEcho", "{\"i\":" + i + "}"));
        }
        for (int i = 0; i < calls.size(); i++) {
            assertThat(ServerFixture.parse(calls.get(i).get(10, TimeUnit.SECONDS))
                            .get("i")
                            .asInt())
                    .isEqualTo(i);
        }
        // The node drops its entry in a stage that runs just after the caller's future completes.
        await().atMost(Duration.ofSeconds(2)).until(() -> fixture.server.node().pendingInvocations() == 0);
    }

    @Test
    void handlersStillAnswerAfterAReconnect() throws Exception {
        String first = client.clientId();
        fixture.server
                .node()
                .disconnect("agent-1", null, new Disconnect(3011, "force reconnect"))
                .join();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> client.state() == ClientState.CONNECTED && !first.equals(client.clientId()));
        assertThat(ServerFixture.parse(invoke("add", "[1,1]").get(5, TimeUnit.SECONDS)))
                .isEqualTo(ServerFixture.parse("{\"sum\":2}"));
    }

    @Test
    void otherMessagesGoToTheMessageListenerAndGetNoAnswer() throws Exception {
        List<JsonNode> messages = new CopyOnWriteArrayList<>();
        client.onMessage(messages::add);
        assertThat(fixture.server
                        .node()
                        .sendLocal("agent-1", null, "{\"notice\":\"maintenance at 5\"}".getBytes(UTF_8)))
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> messages.size() == 1);
        assertThat(messages.get(0)).isEqualTo(ServerFixture.parse("{\"notice\":\"maintenance at 5\"}"));
        assertThat(fixture.sent.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void applicationSendReachesTheServersSendHandler() throws Exception {
        client.send(ServerFixture.JSON.createObjectNode().put("typing", true)).get(5, TimeUnit.SECONDS);
        ServerFixture.Sent s = fixture.sent.poll(5, TimeUnit.SECONDS);
        assertThat(s).isNotNull();
        assertThat(s.user()).isEqualTo("agent-1");
        assertThat(s.data()).isEqualTo(ServerFixture.parse("{\"typing\":true}"));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
