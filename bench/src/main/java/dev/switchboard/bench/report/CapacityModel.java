package dev.switchboard.bench.report;

import java.util.Locale;

/**
 * The capacity model of docs/scaling.md: nodes and Redis shards for a workload, from per-unit
 * costs (node CPU per delivery and per idle connection, Redis CPU per publication, per
 * subscribing node and per connect, heartbeats). Pure arithmetic; the costs are inputs, measured
 * by the {@code transports}, {@code idle} and {@code redis-costs} scenarios.
 */
public final class CapacityModel {

    /** Per-unit costs and planning limits. Times in seconds. */
    public record Costs(
            double deliverySeconds,
            double restSecondsPerConnection,
            double bytesPerConnection,
            int connectionsPerNode,
            int coresPerNode,
            double nodeUtilization,
            double publicationSeconds,
            double subscribingNodeSeconds,
            double connectSeconds,
            double heartbeatSecondsPerNode,
            double shardUtilization) {

        /** The figures docs/scaling.md uses. */
        public static final Costs DOCUMENTED =
                new Costs(20e-6, 7e-6, 5.53 * 1024, 100_000, 8, 0.6, 30e-6, 2e-6, 80e-6, 0.4e-3, 0.5);
    }

    /**
     * A workload: {@code connections}, {@code publicationsPerSec}, {@code fanOut} subscribers per
     * publication, connections living {@code lifetimeSec} on average, and a storm of {@code
     * stormConnectsPerSec} extra connects on top.
     */
    public record Workload(
            String name,
            long connections,
            double publicationsPerSec,
            long fanOut,
            double lifetimeSec,
            double stormConnectsPerSec) {}

    /** What the workload needs. */
    public record Projection(
            Workload workload,
            double deliveriesPerSec,
            double nodeCores,
            int nodesForCpu,
            int nodesForConnections,
            int nodes,
            double subscribingNodes,
            double pubSubMessagesPerSec,
            double publishCores,
            int publishShards,
            boolean registryOwnShard,
            double connectsPerSec,
            double registryCores,
            double registryStormCores,
            double connectionMiBPerNode) {}

    private CapacityModel() {}

    /**
     * Nodes a channel of {@code fanOut} subscribers has subscribers on, on average, when a
     * round-robin load balancer spreads connections over {@code nodes}: {@code n·(1 − (1 − 1/n)^F)}.
     */
    public static double subscribingNodes(int nodes, long fanOut) {
        if (nodes <= 1) {
            return Math.min(1, fanOut);
        }
        return nodes * (1 - Math.pow(1 - 1.0 / nodes, fanOut));
    }

    public static Projection project(Costs c, Workload w) {
        double deliveries = w.publicationsPerSec() * w.fanOut();
        double nodeCores = deliveries * c.deliverySeconds() + w.connections() * c.restSecondsPerConnection();
        int forCpu = (int) Math.ceil(nodeCores / (c.coresPerNode() * c.nodeUtilization()));
        int forConnections = (int) Math.ceil(w.connections() / (double) c.connectionsPerNode());
        int nodes = Math.max(1, Math.max(forCpu, forConnections));
        double k = subscribingNodes(nodes, w.fanOut());
        double publishCores = w.publicationsPerSec() * (c.publicationSeconds() + k * c.subscribingNodeSeconds());
        int shards = Math.max(1, (int) Math.ceil(publishCores / c.shardUtilization()));
        double connects = w.connections() / w.lifetimeSec();
        double heartbeats = nodes * c.heartbeatSecondsPerNode();
        double registry = connects * c.connectSeconds() + heartbeats;
        double storm = (connects + w.stormConnectsPerSec()) * c.connectSeconds() + heartbeats;
        // The registry's slot sits on a shard that also holds channels: it wants a primary of its
        // own when that shard would pass 80 % of its core during a storm.
        boolean own = publishCores / shards + storm > 0.8;
        return new Projection(
                w,
                deliveries,
                nodeCores,
                forCpu,
                forConnections,
                nodes,
                k,
                w.publicationsPerSec() * k,
                publishCores,
                shards,
                own,
                connects,
                registry,
                storm,
                w.connections() * c.bytesPerConnection() / nodes / (1024 * 1024));
    }

    /** The projection table of docs/scaling.md. */
    public static String markdown(Iterable<Projection> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| Scenario | Connections | Publications/s | Fan-out | Deliveries/s | Node cores needed "
                + "| Nodes (CPU / connections) | Subscribing nodes per publication | Pub/sub messages/s "
                + "| Redis cores for publishing | Shards (publishing + registry's own) | Connects/s "
                + "| Registry shard cores | Same, in a storm | RSS of connections per node |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Projection p : rows) {
            Workload w = p.workload();
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %,d | %,.0f | %,d | %,.0f | %.1f | %d / %d → **%d** | %.1f | %,.0f | %.2f | **%s** "
                            + "| %,.0f | %.2f | %.2f | %.0f MiB |%n",
                    w.name(),
                    w.connections(),
                    w.publicationsPerSec(),
                    w.fanOut(),
                    p.deliveriesPerSec(),
                    p.nodeCores(),
                    p.nodesForCpu(),
                    p.nodesForConnections(),
                    p.nodes(),
                    p.subscribingNodes(),
                    p.pubSubMessagesPerSec(),
                    p.publishCores(),
                    p.registryOwnShard() ? p.publishShards() + " + 1" : Integer.toString(p.publishShards()),
                    p.connectsPerSec(),
                    p.registryCores(),
                    p.registryStormCores(),
                    p.connectionMiBPerNode()));
        }
        return sb.toString();
    }
}
