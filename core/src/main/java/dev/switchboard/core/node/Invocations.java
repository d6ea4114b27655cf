package dev.switchboard.core.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.engine.ConnectionEntry;
import dev.switchboard.core.engine.NodeInfo;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.core.rpc.InvokeException;
import dev.switchboard.core.rpc.InvokeException.Reason;
import dev.switchboard.core.rpc.InvokeTarget;
import dev.switchboard.wire.InvocationWire;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server → client invocations: routing to the node that holds the socket, the pending calls of
 * this node, and the calls this node delivered to its own clients on behalf of callers.
 *
 * <p>Wire convention with clients: the request is a {@code message} push
 * {@code {"sb_invoke":{"id","method","data"}}}; the client answers with a {@code send} of
 * {@code {"sb_result":{"id","data"}}} or {@code {"sb_result":{"id","error":{"code","message"}}}}.
 * Between nodes: one message to the owning node's channel, one reply to the caller's.
 */
final class Invocations {

    private static final Logger log = LoggerFactory.getLogger(Invocations.class);
    /**
     * How often pending remote calls are checked: whether their node still listens on its own
     * channel (a crashed process's subscription goes with its sockets), and every
     * {@link #REGISTRY_CHECK_EVERY}th time whether it is still in the node registry (heartbeats,
     * the answer for a machine that vanished without closing its sockets).
     */
    static final long NODE_CHECK_MILLIS = 100;
    /** Checks between two reads of the node registry: about every 300 ms. */
    static final int REGISTRY_CHECK_EVERY = 3;
    /**
     * Consecutive checks a node must be found not listening before its calls fail: the
     * subscription of a live node whose pub/sub connection reconnects is gone for a moment too,
     * so silence must last at least {@code (SILENT_CHECKS - 1) * NODE_CHECK_MILLIS}.
     */
    static final int SILENT_CHECKS = 3;

    /** A call this node is waiting on. */
    private record Pending(
            CompletableFuture<byte[]> future,
            String nodeId,
            String clientId,
            String method,
            String path,
            long startedNanos,
            ScheduledFuture<?> timeout) {}

    /** A call this node pushed to one of its clients; {@code replyTo} is the caller node, or null when local. */
    private record Delivered(String clientId, String replyTo, ScheduledFuture<?> expiry) {}

    private final Node node;
    private final int maxPending;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Delivered> delivered = new ConcurrentHashMap<>();
    private final AtomicInteger remotePending = new AtomicInteger();
    private final Map<String, Integer> silent = new ConcurrentHashMap<>();
    private long checks;

    Invocations(Node node, int maxPending) {
        this.node = node;
        this.maxPending = maxPending;
    }

    void start() {
        node.scheduler()
                .scheduleWithFixedDelay(this::checkNodes, NODE_CHECK_MILLIS, NODE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    int pendingCount() {
        return pending.size();
    }

    int deliveredCount() {
        return delivered.size();
    }

    // ---- caller side ----

    CompletableFuture<byte[]> invoke(InvokeTarget target, String method, byte[] data, Duration timeout) {
        return resolve(target).thenCompose(entry -> invokeEntry(entry, method, data, timeout));
    }

    CompletableFuture<ConnectionEntry> resolve(InvokeTarget target) {
        if (target.kind() == InvokeTarget.Kind.CLIENT) {
            // Client ids are unique in the cluster: one of ours needs no registry round trip.
            Client local = node.hub().client(target.value());
            if (local != null && local.isConnected()) {
                return CompletableFuture.completedFuture(node.entryOf(local));
            }
        }
        CompletableFuture<List<ConnectionEntry>> candidates = switch (target.kind()) {
            case CLIENT ->
                node.connections()
                        .byClient(target.value())
                        .thenApply(o -> o.map(List::of).orElse(List.of()));
            case ROUTING_KEY -> node.connections().routesByRoutingKey(target.value());
            case USER -> node.connections().byUser(target.value());
        };
        return candidates.handle((list, err) -> {
            if (err != null) {
                throw new InvokeException(Reason.ENGINE_UNAVAILABLE, "connection registry unavailable");
            }
            if (list.isEmpty()) {
                throw new InvokeException(
                        Reason.NOT_CONNECTED,
                        "no connection for " + target.kind().name().toLowerCase() + " " + target.value());
            }
            // Newest wins: an SDK that reconnected is the live one, older entries are on their way out.
            return list.get(list.size() - 1);
        });
    }

    CompletableFuture<byte[]> invokeEntry(ConnectionEntry entry, String method, byte[] data, Duration timeout) {
        if (pending.size() >= maxPending) {
            node.metrics().invocation("rejected", Reason.TOO_MANY_PENDING.wireName(), 0);
            return CompletableFuture.failedFuture(new InvokeException(
                    Reason.TOO_MANY_PENDING, "too many pending invocations on this node (" + maxPending + ")"));
        }
        if (data != null && !ProtocolCodec.isJsonValue(data)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("invocation data is not valid JSON"));
        }
        String id = UUID.randomUUID().toString();
        boolean local = entry.nodeId().equals(node.options().id());
        CompletableFuture<byte[]> future = new CompletableFuture<>();
        ScheduledFuture<?> t = node.scheduler()
                .schedule(
                        () -> fail(
                                id,
                                new InvokeException(Reason.TIMEOUT, "no answer within " + timeout.toMillis() + " ms")),
                        timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
        Pending p = new Pending(
                future, entry.nodeId(), entry.clientId(), method, local ? "local" : "remote", System.nanoTime(), t);
        pending.put(id, p);
        if (!local) {
            remotePending.incrementAndGet();
        }
        // A caller that cancels abandons the call: it is forgotten at once.
        future.whenComplete((r, e) -> {
            if (future.isCancelled()) {
                finish(id, null, new InvokeException(Reason.CANCELLED, "cancelled by the caller"));
            }
        });
        if (local) {
            if (!deliverToLocalClient(id, entry.clientId(), method, data, null, timeout)) {
                fail(id, new InvokeException(Reason.NOT_CONNECTED, "client " + entry.clientId() + " is not connected"));
            }
        } else {
            ObjectNode msg = ProtocolCodec.mapper().createObjectNode();
            msg.put("t", "inv");
            msg.put("id", id);
            msg.put("from", node.options().id());
            msg.put("client", entry.clientId());
            msg.put("method", method);
            msg.put("timeout", timeout.toMillis());
            putRaw(msg, "data", data);
            node.broker()
                    .publishToNode(entry.nodeId(), ProtocolCodec.toBytes(msg))
                    .whenComplete((v, e) -> {
                        if (e != null) {
                            fail(id, new InvokeException(Reason.ENGINE_UNAVAILABLE, "engine unavailable"));
                        }
                    });
        }
        return future;
    }

    /**
     * Ends a call: forgets it, records it, then completes its future, in that order, so nothing is
     * pending any more once a caller sees the outcome. A second end (a late reply) does nothing.
     */
    private void finish(String id, byte[] data, Throwable err) {
        Pending p = pending.remove(id);
        if (p == null) {
            return;
        }
        p.timeout().cancel(false);
        if (!"local".equals(p.path())) {
            remotePending.decrementAndGet();
        }
        String outcome = err == null
                ? "ok"
                : err instanceof InvokeException ie ? ie.reason().wireName() : "error";
        node.metrics().invocation(p.path(), outcome, System.nanoTime() - p.startedNanos());
        if (err == null) {
            p.future().complete(data);
        } else {
            p.future().completeExceptionally(err);
        }
    }

    private void complete(String id, byte[] data) {
        finish(id, data, null);
    }

    private void fail(String id, InvokeException e) {
        finish(id, null, e);
    }

    /** Fails remote calls whose node stopped listening or left the registry, well before their timeout. */
    private void checkNodes() {
        if (remotePending.get() == 0) {
            silent.clear();
            return;
        }
        checkListening();
        if (checks++ % REGISTRY_CHECK_EVERY != 0) {
            return;
        }
        node.nodes().whenComplete((nodes, err) -> {
            if (err != null) {
                return;
            }
            Set<String> live = new HashSet<>();
            for (NodeInfo n : nodes) {
                live.add(n.id());
            }
            pending.forEach((id, p) -> {
                if (!"local".equals(p.path()) && !live.contains(p.nodeId())) {
                    fail(id, new InvokeException(Reason.NODE_UNAVAILABLE, "node " + p.nodeId() + " is unavailable"));
                }
            });
        });
    }

    private void checkListening() {
        Set<String> remote = new HashSet<>();
        pending.values().forEach(p -> {
            if (!"local".equals(p.path())) {
                remote.add(p.nodeId());
            }
        });
        if (remote.isEmpty()) {
            return;
        }
        Set<String> asked = new HashSet<>(remote);
        asked.add(node.options().id());
        node.broker().nodesNotListening(asked).whenComplete((quiet, err) -> {
            if (err != null || quiet.contains(node.options().id())) {
                // Redis unreachable, or this node's own subscription is down too: no verdict.
                silent.clear();
                return;
            }
            for (String id : remote) {
                if (!quiet.contains(id)) {
                    silent.remove(id);
                } else if (silent.merge(id, 1, Integer::sum) >= SILENT_CHECKS) {
                    silent.remove(id);
                    pending.forEach((callId, p) -> {
                        if (!"local".equals(p.path()) && id.equals(p.nodeId())) {
                            fail(
                                    callId,
                                    new InvokeException(Reason.NODE_UNAVAILABLE, "node " + id + " is unavailable"));
                        }
                    });
                }
            }
        });
    }

    // ---- owning side ----

    private boolean deliverToLocalClient(
            String id, String clientId, String method, byte[] data, String replyTo, Duration timeout) {
        Client c = node.hub().client(clientId);
        if (c == null || !c.isConnected()) {
            return false;
        }
        ScheduledFuture<?> expiry =
                node.scheduler().schedule(() -> delivered.remove(id), timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        delivered.put(id, new Delivered(clientId, replyTo, expiry));
        ObjectNode inner = ProtocolCodec.mapper().createObjectNode();
        inner.put(InvocationWire.ID, id);
        inner.put(InvocationWire.METHOD, method);
        putRaw(inner, InvocationWire.DATA, data);
        ObjectNode wrapper = ProtocolCodec.mapper().createObjectNode();
        wrapper.set(InvocationWire.REQUEST, inner);
        c.sendMessage(ProtocolCodec.toBytes(wrapper));
        return true;
    }

    /** A node message: an invocation for one of our clients, or a reply to one of our calls. */
    void handleNodeMessage(JsonNode n) {
        String type = n.path("t").asText("");
        if (type.equals("inv")) {
            String id = n.path("id").asText();
            String from = n.path("from").asText();
            Duration timeout = Duration.ofMillis(Math.max(1, n.path("timeout").asLong(30_000)));
            JsonNode data = n.get("data");
            if (!deliverToLocalClient(
                    id,
                    n.path("client").asText(),
                    n.path("method").asText(),
                    data == null ? null : ProtocolCodec.toBytes(data),
                    from,
                    timeout)) {
                reply(from, id, null, Reason.NOT_CONNECTED, 0, "client is not connected");
            }
        } else if (type.equals("res")) {
            String id = n.path("id").asText();
            JsonNode err = n.get("error");
            if (err == null) {
                JsonNode data = n.get("data");
                complete(id, data == null ? null : ProtocolCodec.toBytes(data));
            } else {
                fail(
                        id,
                        new InvokeException(
                                Reason.ofWireName(err.path("reason").asText("client_error")),
                                err.path("code").asInt(0),
                                err.path("message").asText("")));
            }
        }
    }

    private void reply(String to, String id, byte[] data, Reason reason, int code, String message) {
        ObjectNode msg = ProtocolCodec.mapper().createObjectNode();
        msg.put("t", "res");
        msg.put("id", id);
        if (reason == null) {
            putRaw(msg, "data", data);
        } else {
            ObjectNode e = msg.putObject("error");
            e.put("reason", reason.wireName());
            e.put("code", code);
            e.put("message", message);
        }
        node.broker().publishToNode(to, ProtocolCodec.toBytes(msg));
    }

    /**
     * A client's {@code send}: when it answers an invocation, routes the answer and returns true;
     * otherwise returns false and the app's send handler gets it.
     */
    boolean handleClientSend(Client client, JsonNode data) {
        if (data == null || !data.isObject() || !data.has(InvocationWire.RESULT)) {
            return false;
        }
        JsonNode r = data.get(InvocationWire.RESULT);
        String id = r.path(InvocationWire.ID).asText("");
        JsonNode errNode = r.get(InvocationWire.ERROR);
        Delivered d = delivered.get(id);
        if (d == null || !d.clientId().equals(client.id())) {
            return true; // late, unknown, or not this client's to answer: dropped
        }
        delivered.remove(id);
        d.expiry().cancel(false);
        // "error": null means no error; an error without a code is reported as 500.
        JsonNode err = errNode == null || errNode.isNull() ? null : errNode;
        JsonNode result = r.get(InvocationWire.DATA);
        byte[] bytes = result == null ? null : ProtocolCodec.toBytes(result);
        int errCode = err == null ? 0 : err.path(InvocationWire.CODE).asInt(InvocationWire.DEFAULT_ERROR_CODE);
        String errMessage =
                err == null ? null : err.path(InvocationWire.MESSAGE).asText("");
        if (d.replyTo() == null) {
            if (err != null) {
                fail(id, new InvokeException(Reason.CLIENT_ERROR, errCode, errMessage));
            } else {
                complete(id, bytes);
            }
        } else if (err != null) {
            reply(d.replyTo(), id, null, Reason.CLIENT_ERROR, errCode, errMessage);
        } else {
            reply(d.replyTo(), id, bytes, null, 0, null);
        }
        return true;
    }

    /** A client left: calls it had not answered fail at once instead of waiting for their timeout. */
    void clientGone(String clientId) {
        delivered.forEach((id, d) -> {
            if (d.clientId().equals(clientId) && delivered.remove(id, d)) {
                d.expiry().cancel(false);
                if (d.replyTo() == null) {
                    fail(id, new InvokeException(Reason.CLIENT_DISCONNECTED, "client disconnected during the call"));
                } else {
                    reply(d.replyTo(), id, null, Reason.CLIENT_DISCONNECTED, 0, "client disconnected during the call");
                }
            }
        });
    }

    private static void putRaw(ObjectNode n, String field, byte[] json) {
        if (json == null) {
            return;
        }
        try {
            n.set(field, ProtocolCodec.mapper().readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("invocation data is not valid JSON");
        }
    }

    /** Fails every pending call (node shutting down). */
    void closeAll() {
        pending.keySet().forEach(id -> fail(id, new InvokeException(Reason.NODE_UNAVAILABLE, "node shutting down")));
    }
}
