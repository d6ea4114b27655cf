package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Invocation requests map to exactly one answer of the documented shape; the executor runs inline here. */
class InvocationsTest {

    final Invocations inv = new Invocations(Runnable::run);
    final List<ObjectNode> answers = new CopyOnWriteArrayList<>();

    void invoke(String json) {
        inv.dispatch(parse(json).get("sb_invoke"), answers::add);
    }

    static JsonNode parse(String json) {
        try {
            return Codec.parse(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void resultCarriesTheIdAndTheHandlersData() {
        inv.register(
                "sum",
                d -> CompletableFuture.completedFuture(
                        Map.of("sum", d.get(0).asInt() + d.get(1).asInt())));
        invoke("{\"sb_invoke\":{\"id\":\"i-1\",\"method\":\"sum\",\"data\":[2,3]}}");
        assertThat(answers).singleElement().hasToString("{\"id\":\"i-1\",\"data\":{\"sum\":5}}");
    }

    @Test
    void jsonNodeResultIsSentAsIsAndNullAsJsonNull() {
        inv.register("echo", d -> CompletableFuture.completedFuture(d));
        inv.register("nothing", d -> CompletableFuture.completedFuture(null));
        inv.register("nostage", d -> null);
        invoke("{\"sb_invoke\":{\"id\":\"a\",\"method\":\"echo\",\"data\":{\"x\":[1,2.50]}}}");
        invoke("{\"sb_invoke\":{\"id\":\"b\",\"method\":\"nothing\"}}");
        invoke("{\"sb_invoke\":{\"id\":\"c\",\"method\":\"nostage\"}}");
        assertThat(answers)
                .extracting(ObjectNode::toString)
                .containsExactly(
                        "{\"id\":\"a\",\"data\":{\"x\":[1,2.50]}}",
                        "{\"id\":\"b\",\"data\":null}",
                        "{\"id\":\"c\",\"data\":null}");
    }

    @Test
    void missingHandlerIs404MethodNotFound() {
        invoke("{\"sb_invoke\":{\"id\":\"x\",\"method\":\"nope\",\"data\":{}}}");
        assertThat(answers)
                .singleElement()
                .hasToString("{\"id\":\"x\",\"error\":{\"code\":404,\"message\":\"method not found\"}}");
    }

    @Test
    void switchboardExceptionKeepsItsCodeOtherFailuresAre500WithTheMessage() {
        inv.register("denied", d -> {
            throw new SwitchboardException(4403, "not yours");
        });
        inv.register("broken", d -> {
            throw new IllegalStateException("disk full");
        });
        inv.register("asyncFail", d -> CompletableFuture.failedFuture(new SwitchboardException(4409, "conflict")));
        inv.register(
                "asyncBoom",
                d -> CompletableFuture.supplyAsync(() -> {
                    throw new IllegalArgumentException("bad input");
                }));
        inv.register("noMessage", d -> {
            throw new NullPointerException();
        });
        invoke("{\"sb_invoke\":{\"id\":\"1\",\"method\":\"denied\"}}");
        invoke("{\"sb_invoke\":{\"id\":\"2\",\"method\":\"broken\"}}");
        invoke("{\"sb_invoke\":{\"id\":\"3\",\"method\":\"asyncFail\"}}");
        invoke("{\"sb_invoke\":{\"id\":\"4\",\"method\":\"asyncBoom\"}}");
        invoke("{\"sb_invoke\":{\"id\":\"5\",\"method\":\"noMessage\"}}");
        org.awaitility.Awaitility.await().until(() -> answers.size() == 5);
        assertThat(answers)
                .extracting(JsonNode::toString)
                .containsExactlyInAnyOrder(
                        "{\"id\":\"1\",\"error\":{\"code\":4403,\"message\":\"not yours\"}}",
                        "{\"id\":\"2\",\"error\":{\"code\":500,\"message\":\"disk full\"}}",
                        "{\"id\":\"3\",\"error\":{\"code\":4409,\"message\":\"conflict\"}}",
                        "{\"id\":\"4\",\"error\":{\"code\":500,\"message\":\"bad input\"}}",
                        "{\"id\":\"5\",\"error\":{\"code\":500,\"message\":\"java.lang.NullPointerException\"}}");
    }

    @Test
    void resultThatJacksonCannotConvertIsAnErrorAnswerNotASilentDrop() {
        inv.register("weird", d -> CompletableFuture.completedFuture(new Object()));
        invoke("{\"sb_invoke\":{\"id\":\"w\",\"method\":\"weird\"}}");
        assertThat(answers).singleElement().satisfies(a -> {
            assertThat(a.path("id").asText()).isEqualTo("w");
            assertThat(a.at("/error/code").asInt()).isEqualTo(500);
        });
    }

    @Test
    void requestWithoutAnIdIsIgnored() {
        inv.register("m", d -> CompletableFuture.completedFuture(1));
        invoke("{\"sb_invoke\":{\"method\":\"m\"}}");
        assertThat(answers).isEmpty();
    }

    @Test
    void rejectedByTheExecutorIsAnErrorAnswer() {
        Invocations full = new Invocations(r -> {
            throw new java.util.concurrent.RejectedExecutionException("queue full");
        });
        full.register("m", d -> CompletableFuture.completedFuture(1));
        full.dispatch(parse("{\"id\":\"r\",\"method\":\"m\"}"), answers::add);
        assertThat(answers)
                .singleElement()
                .satisfies(a -> assertThat(a.at("/error/code").asInt()).isEqualTo(500));
    }
}
