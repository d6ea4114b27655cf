package dev.switchboard.core.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide control messages: encoded here, sent to every node through the engine, and
 * applied by each node to the connections it holds.
 */
final class NodeControl {

    private static final Logger log = LoggerFactory.getLogger(NodeControl.class);

    private final Node node;

    NodeControl(Node node) {
        this.node = node;
    }

    private static ObjectNode base(String op, String user, String clientId) {
        ObjectNode n = ProtocolCodec.mapper().createObjectNode();
        n.put("op", op);
        n.put("user", user == null ? "" : user);
        if (clientId != null && !clientId.isEmpty()) {
            n.put("client", clientId);
        }
        return n;
    }

    static byte[] disconnect(String user, String clientId, Disconnect d) {
        ObjectNode n = base("disconnect", user, clientId);
        n.put("code", d.code());
        n.put("reason", d.reason());
        return ProtocolCodec.toBytes(n);
    }

    static byte[] unsubscribe(String user, String channel, String clientId) {
        ObjectNode n = base("unsubscribe", user, clientId);
        n.put("channel", channel);
        return ProtocolCodec.toBytes(n);
    }

    static byte[] subscribe(String user, String channel, String clientId) {
        ObjectNode n = base("subscribe", user, clientId);
        n.put("channel", channel);
        return ProtocolCodec.toBytes(n);
    }

    static byte[] refresh(String user, String clientId, boolean expired, long expireAt) {
        ObjectNode n = base("refresh", user, clientId);
        n.put("expired", expired);
        n.put("expire_at", expireAt);
        return ProtocolCodec.toBytes(n);
    }

    /** The connections a control message addresses: one client of the user, or all of them. */
    List<Client> targets(String user, String clientId) {
        List<Client> out = new ArrayList<>();
        if (clientId != null && !clientId.isEmpty()) {
            Client c = node.hub().client(clientId);
            if (c != null && (user == null || user.isEmpty() || c.userId().equals(user))) {
                out.add(c);
            }
            return out;
        }
        out.addAll(node.hub().userClients(user == null ? "" : user));
        return out;
    }

    void apply(byte[] message) {
        JsonNode n;
        try {
            n = ProtocolCodec.mapper().readTree(message);
        } catch (IOException e) {
            log.warn("dropping malformed control message");
            return;
        }
        String op = n.path("op").asText("");
        if (op.equals(ChannelSurvey.CONTROL_OP)) {
            node.channelSurvey().answer(n);
            return;
        }
        List<Client> targets =
                targets(n.path("user").asText(""), n.path("client").asText(""));
        switch (op) {
            case "disconnect" -> {
                Disconnect d = new Disconnect(
                        n.path("code").asInt(Disconnect.FORCE_NO_RECONNECT.code()),
                        n.path("reason").asText(""));
                targets.forEach(c -> c.close(d));
            }
            case "unsubscribe" -> {
                String ch = n.path("channel").asText("");
                targets.forEach(
                        c -> c.subscriptions().unsubscribe(ch, Subscriptions.UNSUBSCRIBE_SERVER, "server unsubscribe"));
            }
            case "subscribe" -> {
                String ch = n.path("channel").asText("");
                Optional<ChannelOptions> opts = node.options().channelRules().optionsFor(ch);
                opts.ifPresent(o -> targets.forEach(c -> serverSubscribe(c, ch, o)));
            }
            case "refresh" -> {
                boolean expired = n.path("expired").asBoolean(false);
                long expireAt = n.path("expire_at").asLong(0);
                for (Client c : targets) {
                    if (expired) {
                        c.close(Disconnect.EXPIRED);
                    } else {
                        c.expireAt(expireAt);
                    }
                }
            }
            default -> log.warn("dropping control message with unknown op");
        }
    }

    private void serverSubscribe(Client c, String channel, ChannelOptions opts) {
        c.subscriptions()
                .prepare(channel, opts, SubscribeParams.NONE, true, c.info(), 0, null)
                .thenAccept(p -> {
                    long now = node.clock().millis() / 1000;
                    c.subscriptions()
                            .commit(List.of(p), ProtocolCodec.push(channel, "subscribe", g -> p.writeResult(g, now)));
                })
                .exceptionally(e -> {
                    log.debug("server-side subscribe of {} to {} failed: {}", c.id(), channel, e.toString());
                    return null;
                });
    }
}
