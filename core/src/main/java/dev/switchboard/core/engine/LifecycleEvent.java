package dev.switchboard.core.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.protocol.ProtocolCodec;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Something that happened to a connection, for the application's backend: it connected,
 * disconnected, subscribed to a channel or unsubscribed from one. Queued in the engine's
 * {@link EventQueue} and delivered at least once, so each event has a unique {@link #id()} the
 * backend deduplicates by.
 *
 * <p>Its JSON ({@link #toJson()}), as the backend receives it:
 * <pre>{@code
 * {"id":"5b0c…","type":"connected","time":1764615813123,"node":"n1","client":"9c4e…","user":"56",
 *  "routing_key":"proj-1:prod","transport":"websocket"}
 * {"id":"…","type":"disconnected",…,"code":3000,"reason":"connection closed"}
 * {"id":"…","type":"subscribed",…,"channel":"jobs:1"}
 * }</pre>
 * Absent values are left out. The Redis engine writes the same shape from Lua for the
 * connections of a node it evicts ({@code reason: "node lost"}).
 *
 * @param id unique among all events
 * @param time Unix milliseconds, on the clock of the node that saw it
 * @param node the node that held the connection
 * @param routingKey the connection's routing key, or {@code null}
 * @param transport the connection's transport ({@code connected} only), or {@code null}
 * @param channel the channel ({@code subscribed}/{@code unsubscribed} only), or {@code null}
 * @param code the disconnect code ({@code disconnected} only), else 0
 * @param reason the disconnect reason ({@code disconnected} only), or {@code null}
 */
public record LifecycleEvent(
        String id,
        Type type,
        long time,
        String node,
        String client,
        String user,
        String routingKey,
        String transport,
        String channel,
        int code,
        String reason) {

    /** The code of the {@code disconnected} events the engine writes for an evicted node's connections. */
    public static final int NODE_LOST_CODE = 3000;

    /** Their reason. */
    public static final String NODE_LOST_REASON = "node lost";

    /** What happened. */
    public enum Type {
        CONNECTED,
        DISCONNECTED,
        SUBSCRIBED,
        UNSUBSCRIBED;

        /** The {@code type} in JSON, e.g. {@code connected}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public LifecycleEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(user, "user");
    }

    /** A connection was accepted. */
    public static LifecycleEvent connected(ConnectionEntry c, String transport, long time) {
        return new LifecycleEvent(
                newId(),
                Type.CONNECTED,
                time,
                c.nodeId(),
                c.clientId(),
                c.user(),
                c.routingKey(),
                transport,
                null,
                0,
                null);
    }

    /** A connection ended with this code and reason. */
    public static LifecycleEvent disconnected(ConnectionEntry c, int code, String reason, long time) {
        return new LifecycleEvent(
                newId(),
                Type.DISCONNECTED,
                time,
                c.nodeId(),
                c.clientId(),
                c.user(),
                c.routingKey(),
                null,
                null,
                code,
                reason);
    }

    /** A connection's subscription became active ({@code subscribed}) or ended ({@code unsubscribed}). */
    public static LifecycleEvent subscription(ConnectionEntry c, boolean subscribed, String channel, long time) {
        return new LifecycleEvent(
                newId(),
                subscribed ? Type.SUBSCRIBED : Type.UNSUBSCRIBED,
                time,
                c.nodeId(),
                c.clientId(),
                c.user(),
                c.routingKey(),
                null,
                Objects.requireNonNull(channel, "channel"),
                0,
                null);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    /** The event as the backend receives it. */
    public byte[] toJson() {
        ObjectNode o = ProtocolCodec.mapper().createObjectNode();
        o.put("id", id);
        o.put("type", type.wireName());
        o.put("time", time);
        o.put("node", node);
        o.put("client", client);
        o.put("user", user);
        if (routingKey != null) {
            o.put("routing_key", routingKey);
        }
        if (transport != null) {
            o.put("transport", transport);
        }
        if (channel != null) {
            o.put("channel", channel);
        }
        if (type == Type.DISCONNECTED) {
            o.put("code", code);
            o.put("reason", reason == null ? "" : reason);
        }
        return ProtocolCodec.toBytes(o);
    }
}
