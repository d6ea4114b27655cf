package dev.switchboard.transport.api;

import static dev.switchboard.transport.api.ApiTestSupport.assertError;
import static dev.switchboard.transport.api.ApiTestSupport.bytes;
import static dev.switchboard.transport.api.ApiTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.engine.Engine;
import dev.switchboard.core.engine.memory.MemoryConnectionRegistry;
import dev.switchboard.core.engine.memory.MemoryNodeRegistry;
import dev.switchboard.core.engine.memory.MemoryPresenceManager;
import dev.switchboard.core.node.Node;
import dev.switchboard.core.node.NodeOptions;
import dev.switchboard.transport.api.ApiTestSupport.ControllableBroker;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiExecutorTest {

    private final ControllableBroker broker = new ControllableBroker();
    private final Node node = Node.builder()
            .options(NodeOptions.builder()
                    .id("node-1")
                    .name("api-test")
                    .version("9.9.9")
                    .channelRules(ApiTestSupport.rules())
                    .build())
            .engine(Engine.of(
                    broker, new MemoryPresenceManager(), new MemoryNodeRegistry(), new MemoryConnectionRegistry()))
            .build()
            .start();
    private final ApiExecutor api = new ApiExecutor(node);

    @AfterEach
    void stop() {
        node.close();
    }

    private ApiResponse call(String method, String body) {
        return ApiTestSupport.call(api, method, body);
    }

    // ---- publish and history ----

    @Test
    void publishReturnsOffsetAndEpochAndHistoryReturnsThePublication() {
        ApiResponse pub = call("publish", "{\"channel\":\"chat:a\",\"data\":{\"text\":\"hi\"},\"tags\":{\"k\":\"v\"}}");

        assertThat(pub.httpStatus()).isEqualTo(200);
        JsonNode result = json(pub).get("result");
        assertThat(result.get("offset").asLong()).isEqualTo(1);
        String epoch = result.get("epoch").asText();
        assertThat(epoch).isNotEmpty();

        ApiResponse hist = call("history", "{\"channel\":\"chat:a\",\"limit\":10}");
        assertThat(hist.httpStatus()).isEqualTo(200);
        JsonNode h = json(hist).get("result");
        assertThat(h.get("epoch").asText()).isEqualTo(epoch);
        assertThat(h.get("offset").asLong()).isEqualTo(1);
        assertThat(h.get("publications")).hasSize(1);
        JsonNode p = h.get("publications").get(0);
        assertThat(p.get("data").get("text").asText()).isEqualTo("hi");
        assertThat(p.get("offset").asLong()).isEqualTo(1);
        assertThat(p.get("tags").get("k").asText()).isEqualTo("v");
        assertThat(p.has("info")).isFalse();
    }

    @Test
    void publishedDataReachesHistoryByteForByte() {
        String data = "{ \"price\": 2.50, \"big\": 123456789012345678901234567890, \"s\": \"\\u00e9\\n\" }";
        call("publish", "{\"channel\":\"chat:raw\",\"data\":" + data + "}");

        ApiResponse hist = call("history", "{\"channel\":\"chat:raw\",\"limit\":1}");

        assertThat(hist.body()).contains("\"data\":" + data);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"text\"", "42", "-1.5e3", "true", "[1,{\"a\":[]}]"})
    void publishAcceptsAnyJsonValueAsData(String data) {
        call("publish", "{\"data\":" + data + ",\"channel\":\"chat:any\"}");

        assertThat(call("history", "{\"channel\":\"chat:any\",\"limit\":1}").body())
                .contains("\"data\":" + data);
    }

    @Test
    void publishToChannelWithoutHistoryReturnsEmptyResult() {
        ApiResponse r = call("publish", "{\"channel\":\"news\",\"data\":{}}");

        assertThat(r.httpStatus()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"result\":{}}");
    }

    @Test
    void publishWithSkipHistoryStoresNothing() {
        ApiResponse r = call("publish", "{\"channel\":\"chat:a\",\"data\":1,\"skip_history\":true}");

        assertThat(r.body()).isEqualTo("{\"result\":{}}");
        assertThat(json(call("history", "{\"channel\":\"chat:a\",\"limit\":-1}"))
                        .at("/result/publications"))
                .isEmpty();
    }

    @Test
    void idempotentPublishTwiceReturnsSameOffsetAndPublishesOnce() {
        String body = "{\"channel\":\"chat:a\",\"data\":{\"n\":1},\"idempotency_key\":\"order-42\"}";

        JsonNode first = json(call("publish", body)).get("result");
        JsonNode second = json(call("publish", body)).get("result");

        assertThat(second).isEqualTo(first);
        assertThat(first.get("offset").asLong()).isEqualTo(1);
        JsonNode h =
                json(call("history", "{\"channel\":\"chat:a\",\"limit\":-1}")).get("result");
        assertThat(h.get("publications")).hasSize(1);
        assertThat(h.get("offset").asLong()).isEqualTo(1);
    }

    @Test
    void publishAcceptsBase64DataThatDecodesToJson() {
        String b64 = Base64.getEncoder().encodeToString(bytes("{\"via\":\"b64\"}"));

        ApiResponse r = call("publish", "{\"channel\":\"chat:a\",\"b64data\":\"" + b64 + "\"}");

        assertThat(r.httpStatus()).isEqualTo(200);
        assertThat(call("history", "{\"channel\":\"chat:a\",\"limit\":1}").body())
                .contains("{\"via\":\"b64\"}");
    }

    @Test
    void publishRefusesBinaryBase64Data() {
        String b64 = Base64.getEncoder().encodeToString(new byte[] {0, (byte) 0xff, 1});

        ApiResponse r = call("publish", "{\"channel\":\"chat:a\",\"b64data\":\"" + b64 + "\"}");

        assertError(r, 400, 107);
        assertThat(json(r).at("/error/message").asText()).startsWith("bad request: b64data");
    }

    @Test
    void publishToUnknownNamespaceIsApiErrorWithStatus200() {
        ApiResponse r = call("publish", "{\"channel\":\"nope:a\",\"data\":{}}");

        assertError(r, 200, 102);
        assertThat(r.body()).isEqualTo("{\"error\":{\"code\":102,\"message\":\"unknown channel\"}}");
    }

    @Test
    void publishWhileEngineIsDownIs503WithTemporaryError() {
        broker.down = true;

        ApiResponse r = call("publish", "{\"channel\":\"chat:a\",\"data\":{}}");

        assertError(r, 503, 100);
    }

    @Test
    void historyOnChannelWithoutHistoryIsNotAvailable() {
        ApiResponse r = call("history", "{\"channel\":\"news\",\"limit\":10}");

        assertError(r, 200, 108);
    }

    @Test
    void historyWithoutLimitReturnsOnlyStreamPosition() {
        call("publish", "{\"channel\":\"chat:a\",\"data\":1}");

        JsonNode h = json(call("history", "{\"channel\":\"chat:a\"}")).get("result");

        assertThat(h.get("publications")).isEmpty();
        assertThat(h.get("offset").asLong()).isEqualTo(1);
        assertThat(h.get("epoch").asText()).isNotEmpty();
    }

    @Test
    void historySinceAndReverseSelectPublications() {
        for (int i = 1; i <= 4; i++) {
            call("publish", "{\"channel\":\"chat:a\",\"data\":" + i + "}");
        }
        String epoch = json(call("history", "{\"channel\":\"chat:a\"}"))
                .at("/result/epoch")
                .asText();

        JsonNode since = json(call(
                        "history",
                        "{\"channel\":\"chat:a\",\"limit\":10,\"since\":{\"offset\":2,\"epoch\":\"" + epoch + "\"}}"))
                .at("/result/publications");
        JsonNode reversed = json(call("history", "{\"channel\":\"chat:a\",\"limit\":2,\"reverse\":true}"))
                .at("/result/publications");

        assertThat(since).extracting(p -> p.get("data").asInt()).containsExactly(3, 4);
        assertThat(reversed).extracting(p -> p.get("data").asInt()).containsExactly(4, 3);
    }

    @Test
    void historySinceAnotherEpochIsUnrecoverablePosition() {
        call("publish", "{\"channel\":\"chat:a\",\"data\":1}");

        ApiResponse r =
                call("history", "{\"channel\":\"chat:a\",\"limit\":10,\"since\":{\"offset\":0,\"epoch\":\"old\"}}");

        assertError(r, 200, 112);
    }

    @Test
    void historyRemoveDropsPublicationsButKeepsPosition() {
        call("publish", "{\"channel\":\"chat:a\",\"data\":1}");

        ApiResponse r = call("history_remove", "{\"channel\":\"chat:a\"}");

        assertThat(r.body()).isEqualTo("{\"result\":{}}");
        JsonNode h =
                json(call("history", "{\"channel\":\"chat:a\",\"limit\":-1}")).get("result");
        assertThat(h.get("publications")).isEmpty();
        assertThat(h.get("offset").asLong()).isEqualTo(1);
    }

    // ---- broadcast ----

    @Test
    void broadcastReportsResultOrErrorPerChannelInOrder() {
        ApiResponse r = call(
                "broadcast", "{\"channels\":[\"chat:a\",\"nope:b\",\"news\",\"bad channel\"]," + "\"data\":{\"x\":1}}");

        assertThat(r.httpStatus()).isEqualTo(200);
        JsonNode responses = json(r).at("/result/responses");
        assertThat(responses).hasSize(4);
        assertThat(responses.get(0).at("/result/offset").asLong()).isEqualTo(1);
        assertThat(responses.get(1).at("/error/code").asInt()).isEqualTo(102);
        assertThat(responses.get(2).get("result").isEmpty()).isTrue();
        assertThat(responses.get(3).at("/error/code").asInt()).isEqualTo(107);
        assertThat(json(call("history", "{\"channel\":\"chat:a\",\"limit\":1}"))
                        .at("/result/publications/0/data/x")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void broadcastWithoutChannelsIsBadRequest() {
        assertError(call("broadcast", "{\"channels\":[],\"data\":{}}"), 400, 107);
    }

    // ---- presence ----

    @Test
    void presenceOfEmptyChannelIsEmptyMap() {
        ApiResponse r = call("presence", "{\"channel\":\"chat:a\"}");

        assertThat(r.httpStatus()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"result\":{\"presence\":{}}}");
    }

    @Test
    void presenceStatsOfEmptyChannelAreZero() {
        ApiResponse r = call("presence_stats", "{\"channel\":\"chat:a\"}");

        assertThat(r.body()).isEqualTo("{\"result\":{\"num_clients\":0,\"num_users\":0}}");
    }

    @Test
    void presenceOnChannelWithoutPresenceIsNotAvailable() {
        assertError(call("presence", "{\"channel\":\"news\"}"), 200, 108);
        assertError(call("presence_stats", "{\"channel\":\"news\"}"), 200, 108);
    }

    // ---- bad requests ----

    @ParameterizedTest
    @ValueSource(strings = {"{\"channel\":", "not json", "[1,2]", "\"str\"", "{\"channel\":\"a\"} {}"})
    void malformedBodyIs400(String body) {
        ApiResponse r = call("publish", body);

        assertError(r, 400, 107);
        assertThat(json(r).at("/error/message").asText()).startsWith("bad request: ");
    }

    @Test
    void missingChannelIs400() {
        ApiResponse r = call("publish", "{\"data\":{}}");

        assertThat(r.httpStatus()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"error\":{\"code\":107,\"message\":\"bad request: channel required\"}}");
    }

    @Test
    void missingDataIs400() {
        ApiResponse r = call("publish", "{\"channel\":\"chat:a\",\"data\":null}");

        assertError(r, 400, 107);
        assertThat(json(r).at("/error/message").asText()).isEqualTo("bad request: data required");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"channel\":5,\"data\":{}}",
                "{\"channel\":\"chat:a\",\"data\":{},\"tags\":{\"k\":1}}",
                "{\"channel\":\"chat:a\",\"data\":{},\"skip_history\":\"yes\"}",
                "{\"channel\":\"chat:a\",\"data\":{},\"idempotency_key\":7}",
                "{\"channel\":\"chat:a\",\"data\":{},\"version\":3}"
            })
    void wrongFieldTypesAndUnsupportedOptionsAre400(String body) {
        assertError(call("publish", body), 400, 107);
    }

    @Test
    void invalidChannelNameIs400() {
        assertError(call("history", "{\"channel\":\"with space\"}"), 400, 107);
    }

    @Test
    void historyWithFractionalLimitIs400() {
        assertError(call("history", "{\"channel\":\"chat:a\",\"limit\":1.5}"), 400, 107);
    }

    @Test
    void unknownMethodIs404() {
        ApiResponse r = call("publsh", "{}");

        assertError(r, 404, 104);
        assertThat(json(r).at("/error/message").asText()).contains("publsh");
    }

    @Test
    void unknownFieldsAreIgnored() {
        assertThat(call("publish", "{\"channel\":\"chat:a\",\"data\":1,\"future_option\":{\"x\":1}}")
                        .httpStatus())
                .isEqualTo(200);
    }

    // ---- batch ----

    @Test
    void batchRunsPublishThenHistoryInOrder() {
        ApiResponse r = call(
                "batch",
                "{\"commands\":["
                        + "{\"publish\":{\"channel\":\"chat:a\",\"data\":{\"n\":1}}},"
                        + "{\"history\":{\"channel\":\"chat:a\",\"limit\":10}}]}");

        assertThat(r.httpStatus()).isEqualTo(200);
        JsonNode replies = json(r).get("replies");
        assertThat(replies).hasSize(2);
        assertThat(replies.get(0).at("/publish/offset").asLong()).isEqualTo(1);
        assertThat(replies.get(1).at("/history/publications")).hasSize(1);
        assertThat(replies.get(1).at("/history/publications/0/data/n").asInt()).isEqualTo(1);
    }

    @Test
    void batchRunsSequentiallyWhenTheEngineAnswersAsynchronously() {
        broker.async = true;
        StringBuilder body = new StringBuilder("{\"commands\":[");
        for (int i = 1; i <= 8; i++) {
            body.append("{\"publish\":{\"channel\":\"chat:a\",\"data\":")
                    .append(i)
                    .append("}},");
        }
        body.append("{\"history\":{\"channel\":\"chat:a\",\"limit\":-1}}]}");

        JsonNode replies = json(call("batch", body.toString())).get("replies");

        for (int i = 0; i < 8; i++) {
            assertThat(replies.get(i).at("/publish/offset").asLong()).isEqualTo(i + 1);
        }
        assertThat(replies.get(8).at("/history/publications"))
                .extracting(p -> p.get("data").asInt())
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void batchReportsErrorsPerCommand() {
        ApiResponse r = call(
                "batch",
                "{\"parallel\":true,\"commands\":["
                        + "{\"publish\":{\"channel\":\"chat:a\",\"data\":{}}},"
                        + "{\"publish\":{\"channel\":\"x:test2\",\"data\":{}}},"
                        + "{\"publish\":{\"data\":{}}},"
                        + "{\"frobnicate\":{}},"
                        + "{\"batch\":{\"commands\":[]}},"
                        + "{\"info\":{}}]}");

        assertThat(r.httpStatus()).isEqualTo(200);
        JsonNode replies = json(r).get("replies");
        assertThat(replies).hasSize(6);
        assertThat(replies.get(0).at("/publish/offset").asLong()).isEqualTo(1);
        assertThat(replies.get(1).at("/error/code").asInt()).isEqualTo(102);
        assertThat(replies.get(2).at("/error/code").asInt()).isEqualTo(107);
        assertThat(replies.get(3).at("/error/code").asInt()).isEqualTo(104);
        assertThat(replies.get(4).at("/error/code").asInt()).isEqualTo(104);
        assertThat(replies.get(5).at("/info/nodes")).hasSize(1);
    }

    @Test
    void batchOfEmptyCommandsHasNoReplies() {
        assertThat(call("batch", "{\"commands\":[]}").body()).isEqualTo("{\"replies\":[]}");
    }

    @Test
    void batchWithoutCommandsArrayIs400() {
        assertError(call("batch", "{\"commands\":{}}"), 400, 107);
        assertError(call("batch", "nope"), 400, 107);
    }

    // ---- info and channels ----

    @Test
    void infoListsThisNode() {
        ApiResponse r = api.execute("info", new byte[0]).join();

        assertThat(r.httpStatus()).isEqualTo(200);
        JsonNode nodes = json(r).at("/result/nodes");
        assertThat(nodes).hasSize(1);
        JsonNode n = nodes.get(0);
        assertThat(n.get("uid").asText()).isEqualTo("node-1");
        assertThat(n.get("name").asText()).isEqualTo("api-test");
        assertThat(n.get("version").asText()).isEqualTo("9.9.9");
        assertThat(n.get("num_clients").asInt()).isZero();
        for (String f : new String[] {"num_users", "num_subs", "num_channels", "uptime"}) {
            assertThat(n.has(f)).as(f).isTrue();
        }
    }

    @Test
    void channelsWithNoSubscribersIsEmptyMap() {
        assertThat(call("channels", "{}").body()).isEqualTo("{\"result\":{\"channels\":{}}}");
    }
}
