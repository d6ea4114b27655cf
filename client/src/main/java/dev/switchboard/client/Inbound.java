package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.switchboard.wire.InvocationWire;
import dev.switchboard.wire.WireCodes;

/**
 * Handles what the server sends: splits frames into lines, routes replies to their calls, pushes
 * to subscriptions, listeners and invocation handlers, and answers pings. Runs on the event thread.
 */
final class Inbound {

    private Inbound() {}

    /** One WebSocket message: one or more JSON lines. Asks for the next message when done. */
    static void frame(ClientCore core, Connection c, String text) {
        if (!core.isCurrent(c)) {
            return;
        }
        c.lastReceivedNanos = System.nanoTime();
        if (EventLoop.log.isTraceEnabled()) {
            EventLoop.log.trace("switchboard client <- {}", text);
        }
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode msg;
            try {
                msg = Codec.parse(line);
            } catch (Exception e) {
                msg = null;
            }
            if (msg == null || !msg.isObject()) {
                EventLoop.log.warn("switchboard client: malformed message from the server; reconnecting");
                core.reconnect(StateEvent.TRANSPORT_CLOSED, "malformed message from server");
                return;
            }
            dispatch(core, c, msg);
            if (!core.isCurrent(c)) {
                return;
            }
        }
        c.transport.requestNext();
    }

    private static void dispatch(ClientCore core, Connection c, JsonNode msg) {
        int id = msg.path("id").asInt(0);
        if (id > 0) {
            Call call = c.take(id);
            if (call != null) {
                call.reply(msg);
            }
            return;
        }
        JsonNode push = msg.get("push");
        if (push != null && push.isObject()) {
            push(core, c, push);
        } else if (c.pong) {
            c.sendRaw(Codec.object());
        }
    }

    private static void push(ClientCore core, Connection c, JsonNode push) {
        String channel = push.path("channel").asText("");
        Subscription sub = core.subs.get(channel);
        JsonNode body;
        if ((body = push.get("pub")) != null) {
            Publication p = Codec.publication(channel, body);
            if (sub != null) {
                sub.onPublication(p);
            } else {
                EventLoop.fire(core.serverPublicationListeners, p);
            }
        } else if ((body = push.get("join")) != null) {
            if (sub != null) {
                sub.onJoin(Codec.clientInfo(body.get("info")), true);
            }
        } else if ((body = push.get("leave")) != null) {
            if (sub != null) {
                sub.onJoin(Codec.clientInfo(body.get("info")), false);
            }
        } else if ((body = push.get("unsubscribe")) != null) {
            if (sub != null) {
                sub.onUnsubscribePush(
                        body.path("code").asInt(0), body.path("reason").asText(""));
            }
        } else if ((body = push.get("message")) != null) {
            message(core, c, body.get("data"));
        } else if ((body = push.get("disconnect")) != null) {
            core.closedByServer(
                    c, body.path("code").asInt(0), body.path("reason").asText(""));
        } else {
            EventLoop.log.debug("switchboard client: ignoring push {}", push);
        }
    }

    private static void message(ClientCore core, Connection c, JsonNode data) {
        if (data == null) {
            data = NullNode.getInstance();
        }
        JsonNode invoke = data.isObject() ? data.get(InvocationWire.REQUEST) : null;
        if (invoke != null && invoke.isObject()) {
            core.invocations.dispatch(invoke, answer -> core.answer(c, answer));
        } else {
            EventLoop.fire(core.messageListeners, data);
        }
    }

    /**
     * Reacts to the server closing the current connection: 1009 and terminal codes (3500–3999,
     * 4500–4999, or a JSON reason with {@code "reconnect":false}) disconnect; others reconnect.
     */
    static void closed(ClientCore core, int code, String reason) {
        if (code == 1009) {
            core.toDisconnected(StateEvent.MESSAGE_SIZE_LIMIT, "message size limit");
        } else if (code >= 3000) {
            boolean reconnect = WireCodes.reconnects(code);
            String why = reason;
            if (reason.startsWith("{")) {
                try {
                    JsonNode r = Codec.parse(reason);
                    why = r.path("reason").asText(reason);
                    reconnect = r.path("reconnect").asBoolean(reconnect);
                } catch (Exception ignored) {
                    // a plain reason that happens to start with a brace
                }
            }
            if (reconnect) {
                core.reconnect(code, why);
            } else {
                core.toDisconnected(code, why);
            }
        } else {
            core.reconnect(StateEvent.TRANSPORT_CLOSED, "transport closed");
        }
    }
}
