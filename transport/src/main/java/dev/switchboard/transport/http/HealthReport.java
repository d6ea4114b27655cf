package dev.switchboard.transport.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchboard.core.protocol.ProtocolCodec;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code /health} answers: overall status, and the engine's state so a load balancer can
 * take a node whose engine is down out of rotation.
 *
 * @param ok true when the node can serve
 * @param node the node's name
 * @param engine the engine's name
 * @param engineOk whether the engine is reachable
 * @param clients current connections
 * @param uptimeSeconds seconds since start
 */
public record HealthReport(boolean ok, String node, String engine, boolean engineOk, int clients, long uptimeSeconds) {

    /** The report as JSON. */
    public byte[] toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", ok ? "ok" : "unavailable");
        m.put("node", node);
        m.put("engine", Map.of("name", engine, "status", engineOk ? "up" : "down"));
        m.put("clients", clients);
        m.put("uptime", uptimeSeconds);
        try {
            return ProtocolCodec.mapper().writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
