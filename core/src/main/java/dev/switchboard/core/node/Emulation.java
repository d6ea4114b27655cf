package dev.switchboard.core.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.protocol.ProtocolCodec;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bidirectional emulation sessions of this node: an HTTP-streaming or SSE connection's client is
 * known by a session id, given in its connect reply, and its commands arrive in {@code /emulation}
 * requests naming it. A request that reaches another node (no sticky sessions) is sent on as one
 * node message to the node the client named, which hands the commands to the session.
 *
 * <p>The session id is what lets a request act as the client, so it is 128 random bits from a
 * {@link SecureRandom}, never derived from the client id (which other clients may learn).
 */
final class Emulation {

    static final String NODE_MESSAGE_TYPE = "emu";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Node node;
    private final Map<String, Client> sessions = new ConcurrentHashMap<>();

    Emulation(Node node) {
        this.node = node;
    }

    static String newSessionId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    void add(Client c) {
        sessions.put(c.session(), c);
    }

    void remove(Client c) {
        sessions.remove(c.session(), c);
    }

    /** See {@link Node#emulate}. */
    Node.EmulationResult emulate(String nodeId, String session, byte[] commands) {
        if (nodeId == null || nodeId.isEmpty() || nodeId.equals(node.options().id())) {
            return deliver(session, commands) ? Node.EmulationResult.DELIVERED : Node.EmulationResult.UNKNOWN_SESSION;
        }
        ObjectNode msg = ProtocolCodec.mapper().createObjectNode();
        msg.put("t", NODE_MESSAGE_TYPE);
        msg.put("session", session);
        msg.put("data", Base64.getEncoder().encodeToString(commands));
        node.broker().publishToNode(nodeId, ProtocolCodec.toBytes(msg));
        return Node.EmulationResult.FORWARDED;
    }

    /** A node message another node sent on: commands for one of our sessions. */
    void handleNodeMessage(JsonNode msg) {
        byte[] commands;
        try {
            commands = Base64.getDecoder().decode(msg.path("data").asText(""));
        } catch (IllegalArgumentException e) {
            return;
        }
        deliver(msg.path("session").asText(""), commands);
    }

    private boolean deliver(String session, byte[] commands) {
        Client c = session == null ? null : sessions.get(session);
        if (c == null) {
            return false;
        }
        c.handleFrame(commands);
        return true;
    }
}
