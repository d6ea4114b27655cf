package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.wire.InvocationWire;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Server → client invocations: the registered handlers, and turning an {@code sb_invoke} request
 * into exactly one {@code sb_result} answer.
 *
 * <p>Request (a {@code message} push): {@code {"sb_invoke":{"id":"…","method":"…","data":…}}}.
 * Answer (a {@code send} command): {@code {"sb_result":{"id":"…","data":…}}} or
 * {@code {"sb_result":{"id":"…","error":{"code":…,"message":"…"}}}}.
 */
final class Invocations {

    private final Map<String, InvocationHandler> handlers = new ConcurrentHashMap<>();
    private final Executor executor;

    Invocations(Executor executor) {
        this.executor = executor;
    }

    void register(String method, InvocationHandler handler) {
        handlers.put(method, handler);
    }

    void remove(String method) {
        handlers.remove(method);
    }

    /**
     * Runs the handler for an {@code sb_invoke} body on the executor and passes the
     * {@code sb_result} body to {@code answer}, from whichever thread finishes.
     */
    void dispatch(JsonNode invoke, Consumer<ObjectNode> answer) {
        JsonNode idNode = invoke.get(InvocationWire.ID);
        if (idNode == null || !idNode.isValueNode() || idNode.isNull()) {
            EventLoop.log.warn("switchboard client: invocation without an id; ignored");
            return;
        }
        String id = idNode.asText();
        String method = invoke.path(InvocationWire.METHOD).asText("");
        JsonNode data = invoke.has(InvocationWire.DATA) ? invoke.get(InvocationWire.DATA) : NullNode.getInstance();
        InvocationHandler h = handlers.get(method);
        if (h == null) {
            answer.accept(error(id, SwitchboardException.METHOD_NOT_FOUND, "method not found"));
            return;
        }
        try {
            executor.execute(() -> run(h, id, data, answer));
        } catch (RuntimeException e) {
            answer.accept(error(id, SwitchboardException.HANDLER_ERROR, "invocation rejected: " + e.getMessage()));
        }
    }

    private static void run(InvocationHandler h, String id, JsonNode data, Consumer<ObjectNode> answer) {
        CompletionStage<?> stage;
        try {
            stage = h.handle(data);
        } catch (Throwable t) {
            answer.accept(failure(id, t));
            return;
        }
        if (stage == null) {
            answer.accept(result(id, null));
            return;
        }
        stage.whenComplete((v, e) -> {
            if (e != null) {
                answer.accept(failure(id, e));
                return;
            }
            ObjectNode ok;
            try {
                ok = result(id, v);
            } catch (RuntimeException conversion) {
                ok = failure(id, conversion);
            }
            answer.accept(ok);
        });
    }

    static ObjectNode result(String id, Object value) {
        ObjectNode r = Codec.object();
        r.put(InvocationWire.ID, id);
        r.set(InvocationWire.DATA, Codec.toJson(value));
        return r;
    }

    static ObjectNode error(String id, int code, String message) {
        ObjectNode r = Codec.object();
        r.put(InvocationWire.ID, id);
        ObjectNode err = r.putObject(InvocationWire.ERROR);
        err.put(InvocationWire.CODE, code);
        err.put(InvocationWire.MESSAGE, message);
        return r;
    }

    /** A {@link SwitchboardException} keeps its code and message; anything else is 500 with its message. */
    static ObjectNode failure(String id, Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof SwitchboardException se) {
            return error(id, se.code(), se.getMessage() == null ? "" : se.getMessage());
        }
        String msg = t.getMessage() != null ? t.getMessage() : t.getClass().getName();
        return error(id, SwitchboardException.HANDLER_ERROR, msg);
    }
}
