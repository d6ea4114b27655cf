package dev.switchboard.transport.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchboard.core.protocol.ProtocolCodec;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code /health} (liveness) and {@code /ready} (readiness) answer: whether the node is
 * alive and serving, whether it is ready for new traffic, and why not.
 *
 * @param ok for {@code /health}: the node serves (started, not closed); for {@code /ready}:
 *     {@link #ready}
 * @param node the node's name
 * @param engine the engine's name
 * @param engineOk whether the engine is reachable
 * @param heartbeatOk whether this node's last registry heartbeat is recent
 * @param draining whether the node is stopping (new clients should go elsewhere)
 * @param clients current connections
 * @param uptimeSeconds seconds since start
 */
public record HealthReport(
        boolean ok,
        String node,
        String engine,
        boolean engineOk,
        boolean heartbeatOk,
        boolean draining,
        int clients,
        long uptimeSeconds) {

    /** Ready for new traffic: serving, engine up, heartbeat current, not draining. */
    public boolean ready() {
        return engineOk && heartbeatOk && !draining;
    }

    /** The same report as {@code /ready} answers it: {@link #ok} is whether it is ready. */
    public HealthReport asReadiness() {
        return new HealthReport(ok && ready(), node, engine, engineOk, heartbeatOk, draining, clients, uptimeSeconds);
    }

    /** The report as JSON. */
    public byte[] toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", ok ? "ok" : "unavailable");
        m.put("node", node);
        m.put("engine", Map.of("name", engine, "status", engineOk ? "up" : "down"));
        m.put("heartbeat", heartbeatOk ? "current" : "late");
        m.put("draining", draining);
        m.put("clients", clients);
        m.put("uptime", uptimeSeconds);
        try {
            return ProtocolCodec.mapper().writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
