package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One command waiting for its reply: created when the application calls, sent when connected,
 * finished by the reply, the timeout or the connection's end, whichever comes first (only the
 * first counts). Confined to the client's event thread.
 */
final class Call {

    /** What to do with the outcome. Runs on the event thread. */
    interface Outcome {
        void succeeded(JsonNode result);

        void failed(SwitchboardException error);
    }

    final String method;
    final JsonNode params;
    private final Outcome outcome;
    ScheduledFuture<?> timeout;
    private boolean done;

    Call(String method, JsonNode params, Outcome outcome) {
        this.method = method;
        this.params = params;
        this.outcome = outcome;
    }

    /** A call that completes {@code future} with the reply's result object. */
    static Call completing(String method, JsonNode params, CompletableFuture<JsonNode> future) {
        return new Call(method, params, new Outcome() {
            @Override
            public void succeeded(JsonNode result) {
                future.complete(result);
            }

            @Override
            public void failed(SwitchboardException error) {
                future.completeExceptionally(error);
            }
        });
    }

    ObjectNode command(int id) {
        return Codec.command(id, method, params);
    }

    boolean done() {
        return done;
    }

    /** Handles a reply: {@code error} fails the call, otherwise the {@code <method>} object is its result. */
    void reply(JsonNode reply) {
        JsonNode err = reply.get("error");
        if (err != null && err.isObject()) {
            fail(Codec.error(err));
            return;
        }
        JsonNode result = reply.get(method);
        succeed(result == null || !result.isObject() ? Codec.object() : result);
    }

    void succeed(JsonNode result) {
        if (finish()) {
            outcome.succeeded(result);
        }
    }

    void fail(SwitchboardException error) {
        if (finish()) {
            outcome.failed(error);
        }
    }

    private boolean finish() {
        if (done) {
            return false;
        }
        done = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        return true;
    }
}
