package dev.switchboard.transport.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.core.engine.ConnectionEntry;
import dev.switchboard.core.node.Node;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.core.rpc.InvokeException;
import dev.switchboard.core.rpc.InvokeResult;
import dev.switchboard.core.rpc.InvokeTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The server API's invocation and connection-registry methods: {@code invoke},
 * {@code connection}, {@code connections}.
 */
final class InvokeApi {

    /** Default {@code timeout} of {@code invoke}, in milliseconds. */
    static final long DEFAULT_INVOKE_TIMEOUT_MS = 10_000;
    /** Largest {@code timeout} of {@code invoke}, in milliseconds. */
    static final long MAX_INVOKE_TIMEOUT_MS = 300_000;
    /** Default and largest {@code limit} of {@code connections}. */
    static final int MAX_CONNECTIONS_PAGE = 1000;

    private final Node node;

    InvokeApi(Node node) {
        this.node = node;
    }

    private static InvokeTarget target(Params p) {
        String client = p.string("client");
        String key = p.string("routing_key");
        String user = p.string("user");
        int set = (client.isEmpty() ? 0 : 1) + (key.isEmpty() ? 0 : 1) + (user.isEmpty() ? 0 : 1);
        if (set != 1) {
            throw new BadRequestException("exactly one of client, routing_key, user is required");
        }
        return !client.isEmpty()
                ? InvokeTarget.client(client)
                : !key.isEmpty() ? InvokeTarget.routingKey(key) : InvokeTarget.user(user);
    }

    CompletableFuture<ProtocolCodec.Body> invoke(Params p) {
        InvokeTarget target = target(p);
        String method = p.requiredString("method");
        long timeout = p.isSet("timeout") ? p.longValue("timeout") : DEFAULT_INVOKE_TIMEOUT_MS;
        if (timeout <= 0 || timeout > MAX_INVOKE_TIMEOUT_MS) {
            throw new BadRequestException("timeout must be 1.." + MAX_INVOKE_TIMEOUT_MS + " ms");
        }
        byte[] data = p.rawData();
        if (p.bool("all")) {
            if (target.kind() != InvokeTarget.Kind.USER) {
                throw new BadRequestException("all needs user");
            }
            return node.invokeAll(target.value(), method, data, Duration.ofMillis(timeout))
                    .thenApply(results -> g -> {
                        g.writeArrayFieldStart("results");
                        for (InvokeResult r : results) {
                            g.writeStartObject();
                            g.writeStringField("client", r.clientId());
                            if (r.error() == null) {
                                ProtocolCodec.writeRaw(g, "data", r.data());
                            } else {
                                g.writeObjectFieldStart("error");
                                InvokeException e = r.error();
                                g.writeNumberField(
                                        "code",
                                        e.reason() == InvokeException.Reason.CLIENT_ERROR
                                                ? e.clientCode()
                                                : e.reason().httpStatus());
                                g.writeStringField("message", e.reason().wireName() + ": " + e.getMessage());
                                g.writeEndObject();
                            }
                            g.writeEndObject();
                        }
                        g.writeEndArray();
                    });
        }
        return node.invoke(target, method, data, Duration.ofMillis(timeout))
                .thenApply(result -> g -> ProtocolCodec.writeRaw(g, "data", result == null ? NULL_JSON : result));
    }

    private static final byte[] NULL_JSON = "null".getBytes(StandardCharsets.US_ASCII);

    private static void writeEntry(JsonGenerator g, ConnectionEntry e) throws IOException {
        g.writeStartObject();
        g.writeStringField("client", e.clientId());
        g.writeStringField("user", e.user());
        if (e.routingKey() != null) {
            g.writeStringField("routing_key", e.routingKey());
        }
        g.writeStringField("node", e.nodeId());
        g.writeNumberField("connected_at", e.connectedAt());
        g.writeEndObject();
    }

    CompletableFuture<ProtocolCodec.Body> connection(Params p) {
        InvokeTarget target = target(p);
        return node.connection(target).thenApply(found -> g -> {
            g.writeBooleanField("connected", found.isPresent());
            if (found.isPresent()) {
                g.writeFieldName("connection");
                writeEntry(g, found.get());
            }
        });
    }

    CompletableFuture<ProtocolCodec.Body> connections(Params p) {
        String user = p.string("user");
        String key = p.string("routing_key");
        int limit = p.isSet("limit") ? p.intValue("limit") : MAX_CONNECTIONS_PAGE;
        int offset = p.isSet("offset") ? p.intValue("offset") : 0;
        if (limit <= 0 || limit > MAX_CONNECTIONS_PAGE || offset < 0) {
            throw new BadRequestException("limit must be 1.." + MAX_CONNECTIONS_PAGE + " and offset >= 0");
        }
        return node.connections(user.isEmpty() ? null : user, key.isEmpty() ? null : key)
                .thenApply(all -> g -> {
                    g.writeNumberField("total", all.size());
                    g.writeArrayFieldStart("connections");
                    for (int i = offset; i < Math.min(all.size(), offset + limit); i++) {
                        writeEntry(g, all.get(i));
                    }
                    g.writeEndArray();
                });
    }
}
