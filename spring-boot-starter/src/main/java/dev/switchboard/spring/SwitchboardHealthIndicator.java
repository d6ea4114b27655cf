package dev.switchboard.spring;

import dev.switchboard.transport.SwitchboardServer;
import dev.switchboard.transport.http.HealthReport;
import java.util.Objects;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Actuator health of the embedded node, under the name {@code switchboard}: {@code UP} while the
 * node runs and its engine is reachable, {@code DOWN} when Redis is unreachable or the node has
 * stopped; the same judgement as the node's own {@code /health}.
 *
 * <pre>{@code
 * GET /actuator/health/switchboard
 * {"status":"UP","details":{"node":"web-1","engine":"redis","engineStatus":"UP","clients":42,"uptimeSeconds":3600}}
 * }</pre>
 */
public final class SwitchboardHealthIndicator implements HealthIndicator {

    private final SwitchboardServer server;

    public SwitchboardHealthIndicator(SwitchboardServer server) {
        this.server = Objects.requireNonNull(server, "server");
    }

    @Override
    public Health health() {
        // Readiness, not liveness: a node whose engine is down or that is draining is DOWN here.
        HealthReport report = server.readiness();
        return (report.ok() ? Health.up() : Health.down())
                .withDetail("node", report.node())
                .withDetail("engine", report.engine())
                .withDetail("engineStatus", report.engineOk() ? "UP" : "DOWN")
                .withDetail("heartbeat", report.heartbeatOk() ? "current" : "late")
                .withDetail("draining", report.draining())
                .withDetail("clients", report.clients())
                .withDetail("uptimeSeconds", report.uptimeSeconds())
                .build();
    }
}
