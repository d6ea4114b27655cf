package dev.switchboard.transport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.engine.Engine;
import dev.switchboard.core.engine.memory.MemoryConnectionRegistry;
import dev.switchboard.core.engine.memory.MemoryNodeRegistry;
import dev.switchboard.core.engine.memory.MemoryPresenceManager;
import dev.switchboard.core.node.Node;
import dev.switchboard.core.node.NodeOptions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The API refuses what it could not deliver and never answers with more than its response budget. */
class ApiLimitsTest {

    private static final int BUDGET = 8 * 1024;

    private final Node node = Node.builder()
            .options(NodeOptions.builder()
                    .channelRules(ApiTestSupport.rules())
                    .maxPublicationSize(1024)
                    .build())
            .build()
            .start();
    private final ApiExecutor api = new ApiExecutor(node, BUDGET);

    @AfterEach
    void stop() {
        node.close();
    }

    private ApiResponse call(String method, String body) {
        return ApiTestSupport.call(api, method, body);
    }

    private static String payload(int bytes) {
        return "\"" + "x".repeat(bytes - 2) + "\"";
    }

    @Test
    void aBodyWithInvalidUtf8IsABadRequestAndNothingIsStored() {
        for (byte[] bad : new byte[][] {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}}) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes("{\"channel\":\"chat:a\",\"data\":{\"text\":\"".getBytes(StandardCharsets.UTF_8));
            body.writeBytes(bad);
            body.writeBytes("\"}}".getBytes(StandardCharsets.UTF_8));
            ApiResponse r = api.execute("publish", body.toByteArray()).join();
            assertThat(r.httpStatus()).isEqualTo(400);
            assertThat(ApiTestSupport.json(r).at("/error/code").asInt()).isEqualTo(107);
            assertThat(ApiTestSupport.json(r).at("/error/message").asText()).contains("UTF-8");
        }
        assertThat(ApiTestSupport.json(call("history", "{\"channel\":\"chat:a\",\"limit\":-1}"))
                        .at("/result/offset")
                        .asLong())
                .isZero();
    }

    @Test
    void aPublicationOverTheLimitIsABadRequestNamingTheLimit() {
        ApiResponse r = call("publish", "{\"channel\":\"chat:a\",\"data\":" + payload(1025) + "}");
        assertThat(r.httpStatus()).isEqualTo(400);
        assertThat(ApiTestSupport.json(r).at("/error/message").asText()).contains("max_publication_size (1024)");
        assertThat(call("publish", "{\"channel\":\"chat:a\",\"data\":" + payload(1024) + "}")
                        .httpStatus())
                .isEqualTo(200);
        JsonNode broadcast = ApiTestSupport.json(
                call("broadcast", "{\"channels\":[\"chat:a\",\"chat:b\"],\"data\":" + payload(2000) + "}"));
        assertThat(broadcast.at("/error/code").asInt()).isEqualTo(107);
    }

    @Test
    void aHistoryLargerThanTheBudgetIsAnErrorNotAHugeResponse() {
        for (int i = 0; i < 10; i++) {
            call("publish", "{\"channel\":\"chat:big\",\"data\":" + payload(1000) + "}");
        }
        ApiResponse r = call("history", "{\"channel\":\"chat:big\",\"limit\":-1}");
        assertThat(r.httpStatus()).isEqualTo(200);
        assertThat(ApiTestSupport.json(r).at("/error/code").asInt()).isEqualTo(106);
        assertThat(r.json().length).isLessThan(1024);
        assertThat(ApiTestSupport.json(call("history", "{\"channel\":\"chat:big\",\"limit\":3}"))
                        .at("/result/publications")
                        .size())
                .isEqualTo(3);
    }

    @Test
    void aBatchStopsRunningCommandsOnceItsRepliesReachTheBudget() {
        for (int i = 0; i < 3; i++) {
            call("publish", "{\"channel\":\"chat:big\",\"data\":" + payload(1000) + "}");
        }
        for (boolean parallel : new boolean[] {false, true}) {
            StringBuilder body = new StringBuilder("{\"parallel\":" + parallel + ",\"commands\":[");
            for (int i = 0; i < 2000; i++) {
                body.append("{\"history\":{\"channel\":\"chat:big\",\"limit\":-1}},");
            }
            body.append("{\"publish\":{\"channel\":\"chat:after\",\"data\":{}}}]}");
            ApiResponse r = call("batch", body.toString());
            assertThat(r.httpStatus()).isEqualTo(200);
            JsonNode replies = ApiTestSupport.json(r).get("replies");
            assertThat(replies.size()).isEqualTo(2001);
            assertThat(replies.get(0).has("history")).isTrue();
            assertThat(replies.get(2000).at("/error/code").asInt())
                    .as("not run once the budget is spent")
                    .isEqualTo(106);
            // Every history reply is ~3 KB: two fit in 8 KiB; the rest are short errors.
            assertThat(r.json().length).isLessThan(BUDGET + 2001 * 200);
        }
        assertThat(ApiTestSupport.json(call("history", "{\"channel\":\"chat:after\",\"limit\":0}"))
                        .at("/result/offset")
                        .asLong())
                .as("the publish after the budget was not run")
                .isZero();
    }

    @Test
    void batchesBeyondTheInProgressLimitGet429UntilOthersFinish() {
        ApiTestSupport.ControllableBroker broker = new ApiTestSupport.ControllableBroker();
        Node slow = Node.builder()
                .options(NodeOptions.builder()
                        .channelRules(ApiTestSupport.rules())
                        .build())
                .engine(Engine.of(
                        broker, new MemoryPresenceManager(), new MemoryNodeRegistry(), new MemoryConnectionRegistry()))
                .build()
                .start();
        try (ApiExecutor executor = new ApiExecutor(slow)) {
            broker.gate = new CompletableFuture<>();
            String body = "{\"commands\":[{\"publish\":{\"channel\":\"chat:a\",\"data\":{}}}]}";
            List<CompletableFuture<ApiResponse>> held = new ArrayList<>();
            for (int i = 0; i < ApiExecutor.MAX_BATCHES_IN_PROGRESS; i++) {
                held.add(executor.execute("batch", ApiTestSupport.bytes(body)));
            }
            ApiResponse refused = ApiTestSupport.call(executor, "batch", body);
            assertThat(refused.httpStatus()).isEqualTo(429);
            assertThat(ApiTestSupport.json(refused).at("/error/code").asInt()).isEqualTo(111);
            broker.gate.complete(null);
            for (CompletableFuture<ApiResponse> h : held) {
                assertThat(h.orTimeout(5, TimeUnit.SECONDS).join().httpStatus()).isEqualTo(200);
            }
            assertThat(ApiTestSupport.call(executor, "batch", body).httpStatus())
                    .as("permits come back")
                    .isEqualTo(200);
        } finally {
            slow.close();
        }
    }

    @Test
    void anEmptyBatchAnswersAtOnce() {
        assertThat(call("batch", "{\"commands\":[]}").body()).isEqualTo("{\"replies\":[]}");
    }

    @Test
    void aRequestOfMoreCommandsThanTheCapIsRefusedWholeAndRunsNone() {
        String info = "{\"method\":\"info\",\"params\":{}}";
        String tooMany = "{\"commands\":["
                + String.join(",", java.util.Collections.nCopies(ApiBatch.MAX_COMMANDS + 1, info)) + "]}";
        ApiResponse batch = call("batch", tooMany);
        assertThat(batch.httpStatus()).isEqualTo(400);
        assertThat(batch.body()).contains("\"code\":107").contains("at most 10000 commands");

        ApiResponse lines = api.executeCommandLines(ApiTestSupport.bytes(
                        String.join("\n", java.util.Collections.nCopies(ApiBatch.MAX_COMMANDS + 1, "{}"))))
                .join();
        assertThat(lines.httpStatus()).isEqualTo(400);

        String atTheCap =
                "{\"commands\":[" + String.join(",", java.util.Collections.nCopies(ApiBatch.MAX_COMMANDS, info)) + "]}";
        assertThat(call("batch", atTheCap).httpStatus()).isEqualTo(200);
    }
}
