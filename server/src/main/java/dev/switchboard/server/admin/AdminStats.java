package dev.switchboard.server.admin;

import dev.switchboard.core.engine.NodeInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the page's charts poll every second: this node's running totals from its own meters (the
 * ones {@code /metrics} serves) and its current counts. Totals, not rates: the page divides the
 * difference of two readings by the time between them, so a missed poll loses no precision.
 */
final class AdminStats {

    /** Publication pushes handed to local subscribers (docs/operations.md, Metrics). */
    static final String DELIVERED = "switchboard_messages_delivered";
    /** Protocol messages queued for clients, every transport and format. */
    static final String SENT = "switchboard_transport_messages_sent";

    private AdminStats() {}

    static String json(NodeInfo info, MeterRegistry registry, long nowMillis) {
        return "{\"time\":" + nowMillis + ",\"node\":" + AdminJson.quote(info.name()) + ",\"clients\":"
                + info.numClients() + ",\"subscriptions\":" + info.numSubs() + ",\"delivered\":"
                + (long) sum(registry, DELIVERED) + ",\"messages_sent\":" + (long) sum(registry, SENT) + "}";
    }

    /** The sum of every counter of that name, whatever its tags; 0 when there is none yet. */
    private static double sum(MeterRegistry registry, String name) {
        return registry.find(name).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }
}
