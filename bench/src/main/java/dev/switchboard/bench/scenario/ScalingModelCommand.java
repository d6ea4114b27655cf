package dev.switchboard.bench.scenario;

import dev.switchboard.bench.report.CapacityModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the projection table of docs/scaling.md; starts nothing. */
@Command(
        name = "scaling-model",
        mixinStandardHelpOptions = true,
        description = "The capacity model of docs/scaling.md: nodes and Redis shards for a chat-like and a "
                + "broadcast-like workload at 100k, 1M and 10M connections, from per-unit costs (the "
                + "defaults are the measured ones the doc uses). Starts nothing.")
public final class ScalingModelCommand implements Callable<Integer> {

    @Option(names = "--delivery-us", defaultValue = "20", description = "Node CPU per delivery, µs.")
    double deliveryUs;

    @Option(names = "--rest-us", defaultValue = "7", description = "Node CPU per connection per second at rest, µs.")
    double restUs;

    @Option(names = "--connection-kib", defaultValue = "5.53", description = "Node RSS per connection, KiB.")
    double connectionKib;

    @Option(names = "--connections-per-node", defaultValue = "100000", description = "Planned connections per node.")
    int connectionsPerNode;

    @Option(names = "--cores-per-node", defaultValue = "8", description = "Cores per node.")
    int coresPerNode;

    @Option(names = "--node-utilization", defaultValue = "0.6", description = "Planned node CPU use.")
    double nodeUtilization;

    @Option(names = "--publication-us", defaultValue = "30", description = "Redis CPU per publication, µs.")
    double publicationUs;

    @Option(
            names = "--subscribing-node-us",
            defaultValue = "2",
            description = "Redis CPU per subscribing node per publication, µs.")
    double subscribingNodeUs;

    @Option(names = "--connect-us", defaultValue = "80", description = "Redis CPU per connect + disconnect, µs.")
    double connectUs;

    @Option(names = "--heartbeat-us", defaultValue = "400", description = "Redis CPU per node per second, µs.")
    double heartbeatUs;

    @Option(names = "--shard-utilization", defaultValue = "0.5", description = "Planned CPU use of a shard.")
    double shardUtilization;

    @Option(names = "--lifetime", defaultValue = "1800", description = "Mean connection lifetime, s.")
    double lifetimeSec;

    @Option(
            names = "--storm",
            defaultValue = "3333",
            description = "Extra connects/s of a storm (one node's 100k clients within 30 s).")
    double storm;

    @Override
    public Integer call() {
        CapacityModel.Costs c = new CapacityModel.Costs(
                deliveryUs * 1e-6,
                restUs * 1e-6,
                connectionKib * 1024,
                connectionsPerNode,
                coresPerNode,
                nodeUtilization,
                publicationUs * 1e-6,
                subscribingNodeUs * 1e-6,
                connectUs * 1e-6,
                heartbeatUs * 1e-6,
                shardUtilization);
        System.out.print(CapacityModel.markdown(projections(c, lifetimeSec, storm)));
        return 0;
    }

    /** Chat-like (rooms of 10, one message a minute per user) and broadcast-like (10 channels, 10/s each). */
    static List<CapacityModel.Projection> projections(CapacityModel.Costs c, double lifetimeSec, double storm) {
        List<CapacityModel.Projection> rows = new ArrayList<>();
        long[] sizes = {100_000, 1_000_000, 10_000_000};
        for (long n : sizes) {
            rows.add(CapacityModel.project(c, new CapacityModel.Workload("chat", n, n / 60.0, 10, lifetimeSec, storm)));
        }
        for (long n : sizes) {
            rows.add(CapacityModel.project(
                    c, new CapacityModel.Workload("broadcast", n, 100, n / 10, lifetimeSec, storm)));
        }
        return rows;
    }
}
